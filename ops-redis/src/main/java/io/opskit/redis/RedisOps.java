package io.opskit.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.opskit.core.Ops;
import io.opskit.core.Redactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Wires the Redis parts into an {@link Ops}: registers the checks, binds the gauges to
 * {@link Ops#meterRegistry()}, and makes the engine re-run {@code redis:connection} the moment the
 * watchdog sees a change.
 *
 * <pre>{@code
 * AutoCloseable redis = RedisOps.registerAll(ops, connection, client);    // Redis the app cannot work without
 * AutoCloseable cache = RedisOps.registerCache(ops, connection, client);  // or: an optional cache
 * ...
 * redis.close();  // unregisters and stops the watchdog
 * }</pre>
 *
 * <p>With {@code registerAll}, {@code redis:responseTime}, {@code redis:cluster} and
 * {@code redis:connection} are critical (Redis not answering fails readiness) and the rest only
 * WARN it. With {@code registerCache}, no Redis check is critical: the application serves without
 * its cache, so taking every instance out of the load balancer because the cache is down would turn
 * a slowdown into an outage. For other choices build the parts and use
 * {@link #registerAll(Ops, RedisHealth, RedisConnectionWatchdog)}.
 */
public final class RedisOps {

    private static final Logger LOG = LoggerFactory.getLogger(RedisOps.class);

    private RedisOps() {
    }

    /**
     * Registers the store's check ({@code redis:maintenanceStore}) and contributes
     * {@code /ops/maintenance-store} (its state, for viewers) to the operations surface.
     */
    public static void register(Ops ops, RedisMaintenanceStore store) {
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(store, "store");
        ops.register(store.registration());
        ops.endpoints().add(store.endpoint());
    }

    /** Registers every check of {@code health} and binds its gauges to the ops registry. */
    public static void register(Ops ops, RedisHealth health) {
        Objects.requireNonNull(ops, "ops");
        health.registrations().forEach(ops::register);
        health.bindTo(ops.meterRegistry());
    }

    /**
     * Registers {@code redis:connection} and re-runs it on every change the watchdog sees, so the
     * engine reports a lost connection at once instead of at its next interval.
     *
     * @return a handle that stops the re-runs when closed
     */
    public static AutoCloseable register(Ops ops, RedisConnectionWatchdog watchdog) {
        Objects.requireNonNull(ops, "ops");
        ops.register(watchdog.registration());
        return watchdog.onChange(result -> ops.refresh(RedisConnectionWatchdog.NAME).exceptionally(error -> {
            LOG.warn("re-running {} failed: {}", RedisConnectionWatchdog.NAME, Redactor.redact(String.valueOf(error)));
            return null;
        }));
    }

    /**
     * Registers the health checks of the application's {@code connection} with default settings, their
     * gauges, and a watchdog on {@code client}'s events: for Redis the application cannot work without
     * ({@code redis:responseTime} and {@code redis:connection} critical; memory, hit ratio, connections
     * and replication only WARN readiness).
     *
     * @return a handle that unregisters all of them and stops the watchdog when closed
     */
    public static AutoCloseable registerAll(Ops ops, StatefulRedisConnection<?, ?> connection, AbstractRedisClient client) {
        return registerAll(ops, RedisTarget.of(Objects.requireNonNull(connection, "connection")), client, false);
    }

    /**
     * Registers the health checks of the application's cluster {@code connection} (with
     * {@code redis:cluster}), their gauges, and a watchdog on {@code client}'s events.
     *
     * @return a handle that unregisters all of them and stops the watchdog when closed
     */
    public static AutoCloseable registerAll(Ops ops, StatefulRedisClusterConnection<?, ?> connection, RedisClusterClient client) {
        return registerAll(ops, RedisTarget.of(Objects.requireNonNull(connection, "connection")), client, false);
    }

    /**
     * Registers the health checks of the application's {@code connection} in cache mode (every check
     * non-critical: a Redis that is down or degraded makes readiness WARN, never FAIL), their gauges,
     * and a non-critical watchdog on {@code client}'s events. For an application that serves without
     * its cache; see {@link RedisHealth.Builder#cacheMode(boolean)}.
     *
     * @return a handle that unregisters all of them and stops the watchdog when closed
     */
    public static AutoCloseable registerCache(Ops ops, StatefulRedisConnection<?, ?> connection, AbstractRedisClient client) {
        return registerAll(ops, RedisTarget.of(Objects.requireNonNull(connection, "connection")), client, true);
    }

    /**
     * Like {@link #registerCache(Ops, StatefulRedisConnection, AbstractRedisClient)} for a cluster
     * {@code connection} (with {@code redis:cluster}, non-critical too).
     *
     * @return a handle that unregisters all of them and stops the watchdog when closed
     */
    public static AutoCloseable registerCache(Ops ops, StatefulRedisClusterConnection<?, ?> connection, RedisClusterClient client) {
        return registerAll(ops, RedisTarget.of(Objects.requireNonNull(connection, "connection")), client, true);
    }

    /**
     * Registers {@code health}'s checks and gauges and {@code watchdog}'s check as they were built
     * (e.g. with {@link RedisHealth.Builder#critical(String, boolean)}), and re-runs
     * {@code redis:connection} on every change the watchdog sees.
     *
     * @return a handle that unregisters all of them and stops the watchdog when closed
     */
    public static AutoCloseable registerAll(Ops ops, RedisHealth health, RedisConnectionWatchdog watchdog) {
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(watchdog, "watchdog");
        register(ops, health);
        AutoCloseable wiring = register(ops, watchdog);
        List<String> names = new ArrayList<>();
        health.registrations().forEach(r -> names.add(r.name()));
        names.add(RedisConnectionWatchdog.NAME);
        return () -> {
            wiring.close();
            watchdog.close();
            names.forEach(ops::unregister);
        };
    }

    private static AutoCloseable registerAll(Ops ops, RedisTarget target, AbstractRedisClient client, boolean cacheMode) {
        Objects.requireNonNull(ops, "ops");
        RedisHealth health = RedisHealth.builder(target).cacheMode(cacheMode).build();
        RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).critical(!cacheMode).build();
        return registerAll(ops, health, watchdog);
    }
}
