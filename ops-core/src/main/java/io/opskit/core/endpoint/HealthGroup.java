package io.opskit.core.endpoint;

import io.opskit.core.CheckState;
import io.opskit.core.HealthSnapshot;
import io.opskit.core.Status;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A named set of checks served at {@code /health/group/{name}} with its own aggregation, like
 * Spring Boot's health groups: e.g. {@code database} for a dashboard, or {@code dependencies}
 * where any FAIL counts. A group is a view only: it never gates readiness or any probe.
 *
 * <pre>{@code
 * HealthGroup.of("database", "db:connection", "postgres:connections")
 * HealthGroup.matching("redis", c -> c.componentId().equals("redis")).aggregation(HealthGroup.STRICT)
 * }</pre>
 */
public final class HealthGroup {

    /** The probes' aggregation: worst status, a non-critical FAIL counts as WARN. */
    public static final Function<List<CheckState>, Status> DEFAULT = HealthSnapshot::aggregate;
    /** Worst status of every member, critical or not. */
    public static final Function<List<CheckState>, Status> STRICT = states -> states.stream().map(CheckState::status)
            .reduce(Status.PASS, Status::worst);

    private final String name;
    private final Predicate<CheckState> members;
    private final Function<List<CheckState>, Status> aggregation;

    private HealthGroup(String name, Predicate<CheckState> members, Function<List<CheckState>, Status> aggregation) {
        this.name = name;
        this.members = members;
        this.aggregation = aggregation;
    }

    /** A group of the checks named. */
    public static HealthGroup of(String name, String... checks) {
        Set<String> names = Set.of(checks);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("health group '" + name + "' must name at least one check: "
                    + "e.g. HealthGroup.of(\"database\", \"db:connection\")");
        }
        return new HealthGroup(requireName(name), c -> names.contains(c.name()), DEFAULT);
    }

    /** A group of the checks {@code predicate} accepts, evaluated on every request. */
    public static HealthGroup matching(String name, Predicate<CheckState> predicate) {
        return new HealthGroup(requireName(name), Objects.requireNonNull(predicate, "predicate of group " + name), DEFAULT);
    }

    /** This group with another aggregation (default {@link #DEFAULT}), e.g. {@link #STRICT}. */
    public HealthGroup aggregation(Function<List<CheckState>, Status> value) {
        return new HealthGroup(name, members, Objects.requireNonNull(value, "aggregation of group " + name));
    }

    /** The name, the last segment of its path. */
    public String name() {
        return name;
    }

    /** Whether {@code check} belongs to this group. */
    public boolean contains(CheckState check) {
        return members.test(check);
    }

    /** The group's status for its members' states. */
    public Status aggregate(List<CheckState> states) {
        return Objects.requireNonNull(aggregation.apply(states), "the aggregation of group " + name + " returned null");
    }

    private static String requireName(String name) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
            throw new IllegalArgumentException("health group name must be 1 to 64 lowercase letters, digits, '_' or '-', "
                    + "but was '" + name + "': e.g. 'database'");
        }
        return name;
    }
}
