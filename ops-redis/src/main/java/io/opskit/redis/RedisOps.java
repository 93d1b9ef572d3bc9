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
 * AutoCloseable redis = RedisOps.registerAll(ops, connection, client);  // health, gauges and watchdog
 * ...
 * redis.close();  // unregisters and stops the watchdog
 * }</pre>
 */
public final class RedisOps {

    private static final Logger LOG = LoggerFactory.getLogger(RedisOps.class);

    private RedisOps() {
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
     * gauges, and a watchdog on {@code client}'s events.
     *
     * @return a handle that unregisters all of them and stops the watchdog when closed
     */
    public static AutoCloseable registerAll(Ops ops, StatefulRedisConnection<?, ?> connection, AbstractRedisClient client) {
        return registerAll(ops, RedisTarget.of(Objects.requireNonNull(connection, "connection")), client);
    }

    /**
     * Registers the health checks of the application's cluster {@code connection} (with
     * {@code redis:cluster}), their gauges, and a watchdog on {@code client}'s events.
     *
     * @return a handle that unregisters all of them and stops the watchdog when closed
     */
    public static AutoCloseable registerAll(Ops ops, StatefulRedisClusterConnection<?, ?> connection, RedisClusterClient client) {
        return registerAll(ops, RedisTarget.of(Objects.requireNonNull(connection, "connection")), client);
    }

    private static AutoCloseable registerAll(Ops ops, RedisTarget target, AbstractRedisClient client) {
        Objects.requireNonNull(ops, "ops");
        RedisHealth health = RedisHealth.builder(target).build();
        RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).build();
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
}
