package io.opskit.spring.boot;

import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Ops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The opskit checks the Actuator bridge made of health indicators: their names, settings
 * ({@code opskit.actuator.*}, {@code opskit.checks.<name>.*}), criticality, and which Actuator
 * contributor each came from, so unregistering the contributor removes them. The walk over a
 * Boot line's contributor types is that line's {@code ActuatorBridge}; this is what both share.
 */
final class BridgedChecks {

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
    private final AtomicLong generation = new AtomicLong();

    BridgedChecks(Ops ops, OpsProperties properties) {
        this.ops = ops;
        this.defaults = properties.getActuator();
        this.settings = new CheckSettings(properties);
        this.redisIsACache = properties.getRedis().isEnabled() && properties.getRedis().isCacheMode();
    }

    /** Whether {@code checkName} is the check of an Actuator indicator (and not one of opskit's own). */
    boolean isBridged(String checkName) {
        return bridged.contains(checkName);
    }

    /**
     * Runs {@code walk} over the contributor registered under {@code contributor}, with the list it adds
     * the names of the checks it registers to; they are removed again when the walk fails.
     */
    <C> C adopting(String contributor, Function<List<String>, C> walk) {
        List<String> names = new ArrayList<>();
        try {
            C adopted = walk.apply(names);
            checksByContributor.merge(contributor, names, (a, b) -> {
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

    /**
     * Registers the check of the indicator at {@code path} (contributor name, then the names inside its
     * composites) and returns its name: {@code component:measurement}, unique.
     */
    String register(List<String> path, HealthCheck check) {
        String checkName = CheckNames.unique(CheckNames.of(path), n -> bridged.contains(n) || ops.check(n).isPresent());
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
        return checkName;
    }

    /**
     * Removes the checks of the contributor registered under {@code contributor}; call it once Actuator's
     * registry no longer holds the contributor.
     */
    void release(String contributor) {
        List<String> names = checksByContributor.remove(contributor);
        if (names != null) {
            names.forEach(this::unregister);
        }
        changed();
    }

    /** Actuator's registry has changed: a contributor was registered or removed at run time. */
    void changed() {
        generation.incrementAndGet();
    }

    /**
     * Grows with every change of Actuator's registry at run time: an answer Actuator built under one
     * generation may show contributors another no longer has (the snapshot version moves a moment later).
     */
    long generation() {
        return generation.get();
    }

    private void unregister(String checkName) {
        ops.unregister(checkName);
        bridged.remove(checkName);
    }
}
