package io.opskit.spring.boot;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.health.application.AvailabilityStateHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.PingHealthIndicator;

/**
 * Moves Actuator health contributors into opskit's engine: every {@link HealthIndicator} becomes an
 * opskit check ({@link ActuatorCheck}) and, in the registry Actuator reads, a
 * {@link SnapshotHealthIndicator} under the same name; a {@link CompositeHealthContributor} keeps
 * its shape with each leaf moved the same way, so groups, {@code include}/{@code exclude} paths and
 * {@code /actuator/health/db/primary} behave as before.
 *
 * <p>Left as they are, because they only read memory and must follow a change at once: the
 * availability-state indicators ({@code livenessState}, {@code readinessState}) and {@code ping}.
 */
final class ActuatorBridge {

    /** The component type of checks that come from Actuator. */
    static final String COMPONENT_TYPE = "actuator";

    /** The name Boot gives its own Redis indicator (and the first segment of its reactive one). */
    static final String REDIS = "redis";

    private final Ops ops;
    private final OpsProperties.Actuator defaults;
    private final CheckSettings settings;
    private final boolean redisIsACache;
    private final Set<String> bridged = ConcurrentHashMap.newKeySet();
    private final Map<String, List<String>> checksByContributor = new ConcurrentHashMap<>();

    ActuatorBridge(Ops ops, OpsProperties properties) {
        this.ops = ops;
        this.defaults = properties.getActuator();
        this.settings = new CheckSettings(properties);
        this.redisIsACache = properties.getRedis().isEnabled() && properties.getRedis().isCacheMode();
    }

    /** Whether {@code checkName} is the check of an Actuator indicator (and not one of opskit's own). */
    boolean isBridged(String checkName) {
        return bridged.contains(checkName);
    }

    /** The contributor to register under {@code name} in place of {@code contributor}. */
    HealthContributor adopt(String name, HealthContributor contributor) {
        List<String> names = new ArrayList<>();
        try {
            HealthContributor adopted = adopt(List.of(name), contributor, names);
            checksByContributor.merge(name, names, (a, b) -> {
                List<String> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
            return adopted;
        } catch (RuntimeException e) {
            names.forEach(this::unregister);
            throw e;
        }
    }

    /** Removes the checks of the contributor registered under {@code name}. */
    void release(String name) {
        List<String> names = checksByContributor.remove(name);
        if (names != null) {
            names.forEach(this::unregister);
        }
    }

    private HealthContributor adopt(List<String> path, HealthContributor contributor, List<String> names) {
        if (contributor instanceof SnapshotHealthIndicator || contributor instanceof OpskitChecksContributor
                || contributor instanceof AvailabilityStateHealthIndicator || contributor instanceof PingHealthIndicator) {
            return contributor;
        }
        if (contributor instanceof HealthIndicator indicator) {
            String checkName = CheckNames.unique(CheckNames.of(path), n -> bridged.contains(n) || ops.check(n).isPresent());
            ActuatorCheck check = new ActuatorCheck(indicator);
            CheckRegistration registration = CheckRegistration.builder(checkName, check)
                    .componentType(COMPONENT_TYPE)
                    .timeout(defaults.getTimeout()).interval(defaults.getInterval())
                    .failureThreshold(defaults.getFailureThreshold()).successThreshold(defaults.getSuccessThreshold())
                    // cache mode: a Redis that is down is not this instance's outage, for Boot's indicator as for
                    // opskit's own Redis checks (opskit.checks.redis.critical=true still says otherwise)
                    .critical(!(redisIsACache && REDIS.equals(path.get(0))))
                    .build();
            registration = settings.apply(registration, path.get(0), String.join("/", path), checkName);
            bridged.add(checkName);
            ops.register(registration);
            names.add(checkName);
            return new SnapshotHealthIndicator(ops, checkName, check);
        }
        CompositeHealthContributor composite = (CompositeHealthContributor) contributor;
        Map<String, HealthContributor> children = new LinkedHashMap<>();
        for (HealthContributors.Entry child : composite) {
            List<String> childPath = new ArrayList<>(path);
            childPath.add(child.name());
            children.put(child.name(), adopt(childPath, child.contributor(), names));
        }
        return CompositeHealthContributor.fromMap(children);
    }

    private void unregister(String checkName) {
        ops.unregister(checkName);
        bridged.remove(checkName);
    }
}
