package io.opskit.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable view of health at one moment, for one probe or for all checks: the aggregate
 * status and the state of every check in it, sorted by name. Reading a snapshot never runs a
 * check. A new snapshot (with a higher {@link #version()}) is published whenever a check
 * finishes, the lifecycle changes, or a result goes stale.
 *
 * @param probe   the probe, or empty for the overall view of every check
 * @param status  the aggregate: worst status of critical checks, WARN at worst for the others; PASS when empty
 * @param checks  the checks, sorted by name
 * @param version increases with every publication
 * @param time    when it was built
 */
public record HealthSnapshot(Optional<Probe> probe, Status status, List<CheckState> checks, long version, Instant time) {

    /** Validates and copies. */
    public HealthSnapshot {
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(status, "status");
        checks = List.copyOf(checks);
        Objects.requireNonNull(time, "time");
    }

    /** The state of one check, if it is in this snapshot. */
    public Optional<CheckState> check(String name) {
        for (CheckState c : checks) {
            if (c.name().equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Aggregates check states: worst contribution, PASS when there are none. */
    public static Status aggregate(List<CheckState> states) {
        Status s = Status.PASS;
        for (CheckState c : states) {
            s = s.worst(c.contribution());
        }
        return s;
    }
}
