package io.opskit.core.internal;

import io.opskit.core.CheckRegistration;
import io.opskit.core.CheckState;
import io.opskit.core.Lifecycle;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** How the engine turns results, hysteresis and lifecycle into the {@link CheckState}s of a snapshot. */
final class CheckStates {

    private CheckStates() {
    }

    /** Startup fails (or warns, for non-critical checks) until every startup check has passed once. */
    static Status startupStatus(List<CheckState> in) {
        Status s = Status.PASS;
        for (CheckState c : in) {
            if (!c.everPassed()) {
                s = s.worst(c.critical() ? Status.FAIL : Status.WARN);
            }
        }
        return s;
    }

    /** Startup is sticky: a check that passed once shows PASS there, whatever it does later. */
    static List<CheckState> startupView(List<CheckState> in) {
        List<CheckState> out = new ArrayList<>(in.size());
        for (CheckState c : in) {
            out.add(c.everPassed() && c.status() == Status.FAIL ? asPassing(c, "passed once; startup complete") : c);
        }
        return out;
    }

    static CheckState asPassing(CheckState c, String output) {
        return new CheckState(c.name(), c.componentType(), c.critical(), c.probes(), Status.PASS,
                Result.pass(output).withTiming(c.result().time(), c.result().duration()), c.pending(), c.stale(),
                c.consecutiveFailures(), c.consecutiveSuccesses(), c.everPassed());
    }

    /** A registered check before its first result: FAIL (not ready yet), marked pending. */
    static CheckState pending(CheckRegistration reg, Instant now) {
        return new CheckState(reg.name(), reg.componentType(), reg.critical(), reg.probes(), Status.FAIL,
                Result.fail("pending: first run not finished").withTiming(now, Duration.ZERO),
                true, false, 0, 0, false);
    }

    /** The state after a result; when hysteresis holds the reported status back, the output says so. */
    static CheckState fromResult(CheckRegistration reg, Result raw, Status reported, int failStreak, int okStreak,
                                 boolean everPassed) {
        Result shown = raw;
        if (reported != raw.status()) {
            String held = raw.status() == Status.FAIL
                    ? "failing " + failStreak + " of " + reg.failureThreshold() + " before reporting fail"
                    : "recovering " + okStreak + " of " + reg.successThreshold() + " before reporting " + raw.status().wireName();
            shown = raw.withStatus(reported).withOutput(held + raw.output().map(o -> ": " + o).orElse(""));
        }
        return new CheckState(reg.name(), reg.componentType(), reg.critical(), reg.probes(), reported, shown,
                false, false, failStreak, okStreak, everPassed);
    }

    /** The readiness check of the lifecycle: PASS only while READY. */
    static CheckState lifecycle(String name, Lifecycle l, Instant at) {
        Result result = l == Lifecycle.READY ? Result.pass("ready") : Result.fail(l.name().toLowerCase(Locale.ROOT));
        return synthetic(name, Probe.READINESS, result.withObservedValue(l.name(), "").withTiming(at, Duration.ZERO),
                l == Lifecycle.READY);
    }

    /** A check opskit computes itself while building a snapshot (no run, no hysteresis). */
    static CheckState synthetic(String name, Probe probe, Result result, boolean everPassed) {
        return new CheckState(name, "system", true, Set.of(probe), result.status(), result, false, false, 0, 0, everPassed);
    }
}
