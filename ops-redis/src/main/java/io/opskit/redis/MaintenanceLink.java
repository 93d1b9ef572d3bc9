package io.opskit.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.opskit.core.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The maintenance store's two connections (commands and pub/sub), opened at once or, if Redis is not
 * reachable yet, retried in the background until they are. Once open, Lettuce keeps them connected.
 */
final class MaintenanceLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MaintenanceLink.class);

    private final RedisClient client;
    private final boolean ownsClient;
    private final RedisURI uri;
    private final String channel;
    private final Duration timeout;
    private final Duration retryInterval;
    private final String description;
    private final RedisPubSubListener<String, String> follower;
    private final ScheduledExecutorService scheduler;
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubsub;
    private volatile String lastError = "";
    private volatile boolean closed;

    MaintenanceLink(RedisClient client, boolean ownsClient, RedisURI uri, String channel, Duration timeout,
                    Duration retryInterval, RedisPubSubListener<String, String> follower, ScheduledExecutorService scheduler) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.uri = uri;
        this.channel = channel;
        this.timeout = timeout;
        this.retryInterval = retryInterval;
        this.description = RedisTarget.describe(uri);
        this.follower = follower;
        this.scheduler = scheduler;
    }

    /** Tries to connect and subscribe once, within the timeout; true when connected. */
    synchronized boolean connect() throws InterruptedException {
        if (closed || commands != null) {
            return commands != null;
        }
        StatefulRedisConnection<String, String> c = null;
        StatefulRedisPubSubConnection<String, String> p = null;
        try {
            c = Await.get(client.connectAsync(StringCodec.UTF8, uri), timeout, "connecting to " + description);
            p = Await.get(client.connectPubSubAsync(StringCodec.UTF8, uri), timeout, "connecting to " + description);
            commands = c; // before subscribing: the follower re-reads through it on every (re)subscription
            p.addListener(follower);
            Await.get(p.async().subscribe(channel), timeout, "SUBSCRIBE " + channel);
            pubsub = p;
            lastError = "";
            return true;
        } catch (InterruptedException e) {
            commands = null;
            closeQuietly(c, p);
            throw e;
        } catch (Exception e) {
            commands = null;
            closeQuietly(c, p);
            lastError = Result.describe(e);
            return false;
        }
    }

    /** Retries {@link #connect()} every retry interval until it succeeds, then runs {@code onConnected}. */
    void retryInBackground(Runnable onConnected) {
        LOG.warn("maintenance store: {} not reachable ({}), retrying every {}; the last known state stands",
                description, lastError, Await.millis(retryInterval));
        schedule(onConnected);
    }

    private void schedule(Runnable onConnected) {
        try {
            scheduler.schedule(() -> {
                try {
                    if (connect()) {
                        LOG.info("maintenance store: connected to {}", description);
                        onConnected.run();
                    } else if (!closed) {
                        schedule(onConnected);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, retryInterval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            // the store is closed
        }
    }

    /** The commands; throws naming why when not connected yet. */
    RedisAsyncCommands<String, String> commands() {
        StatefulRedisConnection<String, String> c = commands;
        if (c == null) {
            throw new IllegalStateException("not connected to " + description + " yet"
                    + (lastError.isEmpty() ? "" : ": " + lastError) + "; retrying every " + Await.millis(retryInterval));
        }
        return c.async();
    }

    /** Whether the subscription is open now. */
    boolean isSubscribed() {
        StatefulRedisPubSubConnection<String, String> p = pubsub;
        return p != null && p.isOpen();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (ownsClient) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2)); // closes both connections
        } else {
            closeQuietly(commands, pubsub);
        }
    }

    private static void closeQuietly(StatefulRedisConnection<String, String> c, StatefulRedisPubSubConnection<String, String> p) {
        if (c != null) {
            c.closeAsync();
        }
        if (p != null) {
            p.closeAsync();
        }
    }
}
