package io.opskit.spring.boot;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.opskit.core.Attachment;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import io.opskit.redis.RedisConnectionWatchdog;
import io.opskit.redis.RedisHealth;
import io.opskit.redis.RedisTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
 *
 * <p>Redis unreachable when the application starts never stops it from starting (Spring connects
 * lazily, and so does opskit): opskit's connection is opened on a thread of its own, retried with
 * back-off ({@value #FIRST_RETRY_MS} ms doubling up to {@value #MAX_RETRY_MS} ms), and until it is
 * open {@code redis:connection} fails with the cause (critical only outside cache mode).
 */
final class OpsRedis implements SmartLifecycle {

    /**
     * Starts after the connection factories (phase 0 by default) and stops before them, so the
     * watchdog is closed before the client it watches shuts down.
     */
    static final int PHASE = 1000;

    static final long FIRST_RETRY_MS = 500;
    static final long MAX_RETRY_MS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(OpsRedis.class);

    private final Ops ops;
    private final List<LettuceConnectionFactory> factories;
    private final boolean cacheMode;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile CountDownLatch stopped = new CountDownLatch(1);
    private Thread connector;
    private boolean placeholder;
    private volatile Result lastFailure = Result.fail("not connected");

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
        stopped = new CountDownLatch(1);
        CountDownLatch until = stopped;
        connector = new Thread(() -> connectUntil(factory, until), "opskit-redis-connect");
        connector.setDaemon(true);
        connector.start();
    }

    /** Connects opskit's own connection, retrying with back-off until it is open or this is stopped. */
    private void connectUntil(LettuceConnectionFactory factory, CountDownLatch until) {
        long backoff = FIRST_RETRY_MS;
        while (until.getCount() > 0) {
            try {
                if (connect(factory, until)) {
                    return;
                }
            } catch (RuntimeException e) {
                notConnected(e);
            }
            try {
                if (until.await(backoff, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(MAX_RETRY_MS, backoff * 2);
        }
    }

    /** True when wired (or when the client is not one opskit knows, nothing to retry). */
    private boolean connect(LettuceConnectionFactory factory, CountDownLatch until) {
        AbstractRedisClient client = factory.getRequiredNativeClient();
        if (client instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<String, String> connection = cluster.connect();
            return wired(until, connection, () -> attach(RedisTarget.of(connection), cluster));
        } else if (client instanceof RedisClient standalone) {
            StatefulRedisConnection<String, String> connection = standalone.connect();
            return wired(until, connection, () -> attach(RedisTarget.of(connection), standalone));
        }
        LOG.warn("opskit: Redis client {} is not supported; no Redis checks", Redactor.redact(String.valueOf(client)));
        return true;
    }

    /** RedisHealth and the connection watchdog, in cache mode or not; the handle detaches them and closes the watchdog. */
    private AutoCloseable attach(RedisTarget target, AbstractRedisClient client) {
        RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).critical(!cacheMode).build();
        Attachment attachment = ops.attach(RedisHealth.builder(target).cacheMode(cacheMode).build(), watchdog);
        return () -> {
            attachment.close();
            watchdog.close();
        };
    }

    private interface Registration {
        AutoCloseable register();
    }

    private synchronized boolean wired(CountDownLatch until, StatefulConnection<?, ?> connection, Registration registration) {
        if (until.getCount() == 0) {
            connection.close();     // stopped while connecting
            return true;
        }
        if (placeholder) {
            ops.unregister(RedisConnectionWatchdog.NAME);
            placeholder = false;
            LOG.info("opskit: connected to Redis");
        }
        wire(connection, registration.register());
        return true;
    }

    private synchronized void notConnected(RuntimeException e) {
        String cause = Result.describe(rootCause(e));
        lastFailure = Result.fail("not connected: " + cause + " (retrying in the background)");
        if (!placeholder) {
            placeholder = true;
            LOG.warn("opskit: cannot connect to Redis yet ({}); retrying in the background", cause);
            ops.register(CheckRegistration.builder(RedisConnectionWatchdog.NAME, () -> lastFailure).critical(!cacheMode)
                    .componentType("datastore").interval(Duration.ofSeconds(5)).build());
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private void wire(StatefulConnection<?, ?> connection, AutoCloseable registration) {
        resources.add(registration);
        resources.add(connection::close);
    }

    @Override
    public void stop() {
        running = false;
        stopped.countDown();
        Thread c = connector;
        if (c != null) {
            try {
                c.join(TimeUnit.SECONDS.toMillis(15));   // a connect in progress ends at the client's connect timeout
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeAll();
    }

    private synchronized void closeAll() {
        if (placeholder) {
            ops.unregister(RedisConnectionWatchdog.NAME);
            placeholder = false;
        }
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
