package io.opskit.spring.boot;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.opskit.core.Ops;
import io.opskit.core.Redactor;
import io.opskit.redis.RedisConnectionWatchdog;
import io.opskit.redis.RedisHealth;
import io.opskit.redis.RedisTarget;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * opskit's Redis checks on each Lettuce {@link LettuceConnectionFactory} of the application, once
 * the factories have started (and until they stop): on a connection of opskit's own from the factory's client (so a check
 * never borrows one of the application's), with the connection watchdog on the client's events.
 * Cache mode by default ({@link RedisHealth.Builder#cacheMode(boolean)}, and a non-critical watchdog): every Redis check non-critical, because an
 * application that uses Redis as a cache serves without it; {@code opskit.redis.cache-mode=false}
 * for a Redis it cannot work without.
 */
final class OpsRedis implements SmartLifecycle {

    /**
     * Starts after the connection factories (phase 0 by default) and stops before them, so the
     * watchdog is closed before the client it watches shuts down.
     */
    static final int PHASE = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(OpsRedis.class);

    private final Ops ops;
    private final List<LettuceConnectionFactory> factories;
    private final boolean cacheMode;
    private final List<AutoCloseable> resources = new ArrayList<>();

    OpsRedis(Ops ops, List<LettuceConnectionFactory> factories, boolean cacheMode) {
        this.ops = ops;
        this.factories = factories;
        this.cacheMode = cacheMode;
    }

    private volatile boolean running;

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void start() {
        running = true;
        if (factories.size() > 1) {
            LOG.info("opskit: {} Redis connection factories; checking the first one only", factories.size());
        }
        if (factories.isEmpty()) {
            return;
        }
        LettuceConnectionFactory factory = factories.get(0);
        if (!factory.isRunning()) {
            factory.start();
        }
        AbstractRedisClient client = factory.getRequiredNativeClient();
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<String, String> connection = cluster.connect();
            wire(connection, RedisTarget.of(connection), cluster);
        } else if (client instanceof RedisClient standalone) {
            StatefulRedisConnection<String, String> connection = standalone.connect();
            wire(connection, RedisTarget.of(connection), standalone);
        } else {
            LOG.warn("opskit: Redis client {} is not supported; no Redis checks", Redactor.redact(String.valueOf(client)));
        }
    }

    private void wire(StatefulConnection<?, ?> connection, RedisTarget target, AbstractRedisClient client) {
        RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).critical(!cacheMode).build();
        resources.add(ops.attach(RedisHealth.builder(target).cacheMode(cacheMode).build(), watchdog));
        resources.add(watchdog);
        resources.add(connection::close);
    }

    @Override
    public void stop() {
        running = false;
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debug("opskit: closing Redis wiring failed: {}", Redactor.redact(String.valueOf(e)));
            }
        }
        resources.clear();
    }
}
