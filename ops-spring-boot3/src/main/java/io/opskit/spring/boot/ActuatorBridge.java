package io.opskit.spring.boot;

import io.opskit.core.Ops;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.availability.AvailabilityStateHealthIndicator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.PingHealthIndicator;

/**
 * Moves Actuator health contributors into opskit's engine (Boot 3's health API; the Boot 4 twin has
 * the same name in ops-spring-boot): every {@link HealthIndicator} becomes an opskit check
 * ({@link ActuatorCheck}, registered by {@link BridgedChecks}) and, in the registry Actuator reads, a
 * {@link SnapshotHealthIndicator} under the same name; a {@link CompositeHealthContributor} keeps its
 * shape with each leaf moved the same way, so groups, {@code include}/{@code exclude} paths and
 * {@code /actuator/health/db/primary} behave as before.
 *
 * <p>Left as they are, because they only read memory and must follow a change at once: the
 * availability-state indicators ({@code livenessState}, {@code readinessState}) and {@code ping}.
 */
final class ActuatorBridge {

    private final Ops ops;
    private final BridgedChecks checks;

    ActuatorBridge(Ops ops, OpsProperties properties) {
        this.ops = ops;
        this.checks = new BridgedChecks(ops, properties);
    }

    /** Whether {@code checkName} is the check of an Actuator indicator (and not one of opskit's own). */
    boolean isBridged(String checkName) {
        return checks.isBridged(checkName);
    }

    /** The contributor to register under {@code name} in place of {@code contributor}. */
    HealthContributor adopt(String name, HealthContributor contributor) {
        return checks.adopting(name, names -> adopt(List.of(name), contributor, names));
    }

    /** Removes the checks of the contributor registered under {@code name}, once the registry no longer holds it. */
    void release(String name) {
        checks.release(name);
    }

    /** The contributors Actuator's registry holds: {@link BridgedChecks#changed()}, {@link BridgedChecks#generation()}. */
    BridgedChecks checks() {
        return checks;
    }

    private HealthContributor adopt(List<String> path, HealthContributor contributor, List<String> names) {
        if (contributor instanceof SnapshotHealthIndicator || contributor instanceof OpskitChecksContributor
                || contributor instanceof AvailabilityStateHealthIndicator || contributor instanceof PingHealthIndicator) {
            return contributor;
        }
        if (contributor instanceof HealthIndicator indicator) {
            ActuatorCheck<Health> check = new ActuatorCheck<>(() -> indicator.getHealth(true),
                    health -> HealthMapping.toResult(health.getStatus().getCode(), health.getDetails()));
            String checkName = checks.register(path, check);
            names.add(checkName);
            return new SnapshotHealthIndicator(ops, checkName, check);
        }
        if (!(contributor instanceof CompositeHealthContributor composite)) {
            throw new IllegalArgumentException("opskit: unknown kind of health contributor " + path + ": "
                    + contributor.getClass().getName());
        }
        Map<String, HealthContributor> children = new LinkedHashMap<>();
        for (NamedContributor<HealthContributor> child : composite) {
            List<String> childPath = new ArrayList<>(path);
            childPath.add(child.getName());
            children.put(child.getName(), adopt(childPath, child.getContributor(), names));
        }
        return CompositeHealthContributor.fromMap(children);
    }
}
