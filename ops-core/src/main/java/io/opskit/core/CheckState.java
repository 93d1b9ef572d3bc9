package io.opskit.core;

import java.util.Objects;
import java.util.Set;

/**
 * The immutable state of one check inside a {@link HealthSnapshot}: the status it is reported
 * with (after hysteresis and staleness), the latest result behind it, and the counters that
 * explain the difference.
 *
 * @param name                 the check's name, {@code component:measurement}
 * @param componentType        its component type
 * @param critical             whether a FAIL fails its probes
 * @param probes               the probes it belongs to
 * @param status               the status reported for it
 * @param result               the latest result (for a pending or stale check, a synthetic one saying so)
 * @param pending              whether it has not finished a first run yet
 * @param stale                whether its latest result is older than its interval plus timeout
 * @param consecutiveFailures  failed runs in a row
 * @param consecutiveSuccesses successful (pass or warn) runs in a row
 * @param everPassed           whether it has passed at least once (startup semantics)
 */
public record CheckState(String name, String componentType, boolean critical, Set<Probe> probes, Status status,
                         Result result, boolean pending, boolean stale, int consecutiveFailures,
                         int consecutiveSuccesses, boolean everPassed) {

    /** Validates and copies. */
    public CheckState {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(componentType, "componentType");
        probes = Set.copyOf(probes);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(result, "result");
    }

    /** The component part of the name. */
    public String componentId() {
        return name.substring(0, name.indexOf(':'));
    }

    /** The status this check contributes to a probe's aggregate: non-critical FAIL counts as WARN. */
    public Status contribution() {
        return !critical && status == Status.FAIL ? Status.WARN : status;
    }
}
