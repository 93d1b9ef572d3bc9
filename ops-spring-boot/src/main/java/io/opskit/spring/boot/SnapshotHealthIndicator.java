package io.opskit.spring.boot;

import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import io.opskit.core.Result;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * What Actuator's health endpoint calls in place of an indicator: the latest state of an opskit
 * check, mapped to Boot's {@link Health}. It never runs the indicator and never waits: the
 * indicator runs in opskit's engine, in the background, under its deadline, with hysteresis.
 *
 * <p>When opskit reports exactly the indicator's last run (no deadline passed, no hysteresis
 * holding an older status, not stale), the indicator's own {@link Health} is returned, with its
 * status and details; otherwise opskit's view of it ({@link HealthMapping#toHealth(CheckState)}).
 */
final class SnapshotHealthIndicator implements HealthIndicator {

    private final Ops ops;
    private final String checkName;
    private final ActuatorCheck source;

    SnapshotHealthIndicator(Ops ops, String checkName, ActuatorCheck source) {
        this.ops = ops;
        this.checkName = checkName;
        this.source = source;
    }

    /** The opskit check behind this indicator. */
    String checkName() {
        return checkName;
    }

    @Override
    public Health health() {
        Optional<CheckState> found = ops.check(checkName);
        if (found.isEmpty()) {
            return Health.unknown().withDetail("output", "no opskit check named " + checkName).build();
        }
        CheckState state = found.get();
        if (source != null && !state.pending() && !state.stale() && state.status() == state.result().status()
                && state.contribution() == state.status()) {
            Optional<ActuatorCheck.Observed> last = source.last();
            if (last.isPresent() && sameRun(last.get().result(), state.result())) {
                return last.get().health();
            }
        }
        return HealthMapping.toHealth(state);
    }

    private static boolean sameRun(Result observed, Result reported) {
        return observed.status() == reported.status() && observed.output().equals(reported.output())
                && observed.details().equals(reported.details());
    }

    @Override
    public String toString() {
        return "SnapshotHealthIndicator{" + checkName + '}';
    }
}
