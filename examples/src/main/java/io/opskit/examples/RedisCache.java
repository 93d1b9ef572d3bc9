package io.opskit.examples;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.opskit.core.Attachment;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Result;
import io.opskit.redis.RedisConnectionWatchdog;
import io.opskit.redis.RedisHealth;
import io.opskit.redis.RedisTarget;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The items cache's Redis connection, made without ever stopping start-up: one attempt at start
 * (bounded by the client's 1 s timeouts), then one every {@value #RETRY_SECONDS} s in the background
 * until Redis answers. Until then the cache is empty (the items API reads PostgreSQL) and the
 * non-critical check {@code redis:connection} fails with the reason, so readiness WARNs naming Redis;
 * once connected, opskit's Redis checks replace it.
 */
final class RedisCache implements AutoCloseable {

    static final int RETRY_SECONDS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(RedisCache.class);
    private static final String PLACEHOLDER = "redis:connection";

    private final Ops ops;
    private final RedisClient client;
    private final String target;
    private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "example-redis-connect");
        t.setDaemon(true);
        return t;
    });
    private volatile Optional<StatefulRedisConnection<String, String>> connection = Optional.empty();
    private volatile String lastError = "not tried yet";
    private AutoCloseable checks;
    private boolean closed;

    RedisCache(Ops ops, RedisClient client, String target) {
        this.ops = ops;
        this.client = client;
        this.target = target;
    }

    /** Tries once now; on failure registers the failing placeholder check and keeps trying in the background. */
    RedisCache start() {
        if (!tryConnect()) {
            LOG.warn("Redis at {} is not reachable ({}): serving without the cache, retrying every {} s", target, lastError,
                    RETRY_SECONDS);
            ops.register(CheckRegistration.builder(PLACEHOLDER, () -> Result.fail("not connected to " + target + ": "
                            + lastError + " (retrying every " + RETRY_SECONDS + " s)"))
                    .componentType("datastore").critical(false).interval(java.time.Duration.ofSeconds(1)).build());
            retry.scheduleWithFixedDelay(this::retry, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
        }
        return this;
    }

    /** The connection, once there is one. */
    Optional<StatefulRedisConnection<String, String>> connection() {
        return connection;
    }

    private void retry() {
        if (tryConnect()) {
            LOG.info("connected to Redis at {}: the items cache is on", target);
            retry.shutdown();
        }
    }

    private synchronized boolean tryConnect() {
        if (closed || connection.isPresent()) {
            return true;
        }
        StatefulRedisConnection<String, String> c;
        try {
            c = client.connect();
        } catch (RuntimeException e) {
            lastError = Result.describe(e);
            return false;
        }
        ops.unregister(PLACEHOLDER);
        // Redis is a cache here: the items API serves from PostgreSQL without it, so no Redis check is
        // critical and a Redis outage makes readiness WARN (200), never FAIL (503)
        RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).critical(false).build();
        Attachment attachment = ops.attach(RedisHealth.builder(RedisTarget.of(c)).cacheMode(true).build(), watchdog);
        checks = () -> {
            attachment.close();
            watchdog.close();
        };
        connection = Optional.of(c);
        return true;
    }

    /** Stops retrying, unregisters the checks and closes the connection (the client stays the caller's). */
    @Override
    public synchronized void close() throws Exception {
        closed = true;
        retry.shutdownNow();
        if (checks != null) {
            checks.close();
        }
        connection.ifPresent(StatefulRedisConnection::close);
    }

    @Override
    public String toString() {
        return "Redis connection to " + target;
    }
}
