package io.opskit.spring.boot;

import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import java.util.Optional;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * What Actuator's health endpoint calls in place of an indicator (Boot 4): the latest state of an
 * opskit check, mapped to Boot's {@link Health}. It never runs the indicator and never waits: the
 * indicator runs in opskit's engine, in the background, under its deadline, with hysteresis.
 *
 * <p>When opskit reports exactly the indicator's last run, the indicator's own {@link Health} is
 * returned, with its status and details; otherwise opskit's view of it ({@link HealthMapping}).
 */
final class SnapshotHealthIndicator implements HealthIndicator {

    private final Ops ops;
    private final String checkName;
    private final ActuatorCheck<Health> source;

    /** {@code source} is null for opskit's own checks. */
    SnapshotHealthIndicator(Ops ops, String checkName, ActuatorCheck<Health> source) {
        this.ops = ops;
        this.checkName = checkName;
        this.source = source;
    }

    @Override
    public Health health() {
        Optional<CheckState> found = ops.check(checkName);
        if (found.isEmpty()) {
            return Health.unknown().withDetail("output", "no opskit check named " + checkName).build();
        }
        CheckState state = found.get();
        Optional<Health> own = source == null ? Optional.empty() : source.reportedIn(state);
        return own.orElseGet(() -> Health.status(new Status(HealthMapping.statusCode(state)))
                .withDetails(HealthMapping.details(state)).build());
    }

    @Override
    public String toString() {
        return "SnapshotHealthIndicator{" + checkName + '}';
    }
}
