package io.opskit.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.AsyncExecutions;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.opskit.core.Redactor;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The Redis that opskit checks, reached through Lettuce: the application's own connection (standalone
 * or cluster), or a dedicated connection that opskit opens lazily from a {@link RedisURI}.
 *
 * <pre>{@code
 * RedisTarget target = RedisTarget.of(connection);              // the app's StatefulRedisConnection
 * RedisTarget target = RedisTarget.of(RedisURI.create("redis://cache:6379"));  // opskit's own
 * }</pre>
 *
 * <p>Closing a target closes only what opskit opened itself, never the application's connection or client.
 */
public final class RedisTarget implements AutoCloseable {

    /** How long opskit's own client waits for its connection to close on {@link #close()}. */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final String description;
    private final boolean cluster;
    private final Connector connector;

    private RedisTarget(String description, boolean cluster, Connector connector) {
        this.description = Redactor.redact(description);
        this.cluster = cluster;
        this.connector = connector;
    }

    /** The application's standalone connection; never closed by opskit. */
    public static RedisTarget of(StatefulRedisConnection<?, ?> connection) {
        Objects.requireNonNull(connection, "connection");
        CompletableFuture<RedisClusterAsyncCommands<?, ?>> commands = CompletableFuture.completedFuture(connection.async());
        return new RedisTarget("redis connection", false, new Connector() {
            @Override
            public CompletableFuture<RedisClusterAsyncCommands<?, ?>> commands() {
                return commands;
            }
        });
    }

    /**
     * The application's cluster connection; never closed by opskit. {@code redis:memory} and
     * {@code redis:connections} judge every upstream node (the worst one decides), {@code redis:hitRatio}
     * sums the lookups of all of them, {@code redis:cluster} judges the cluster through
     * {@code CLUSTER INFO}; PING and {@code redis:replication} go to the node Lettuce picks by default.
     */
    public static RedisTarget of(StatefulRedisClusterConnection<?, ?> connection) {
        Objects.requireNonNull(connection, "connection");
        CompletableFuture<RedisClusterAsyncCommands<?, ?>> commands = CompletableFuture.completedFuture(connection.async());
        return new RedisTarget("redis cluster connection", true, new Connector() {
            @Override
            public CompletableFuture<RedisClusterAsyncCommands<?, ?>> commands() {
                return commands;
            }

            @Override
            public CompletableFuture<Map<String, String>> infoPerNode(String section) {
                AsyncExecutions<String> executions = connection.async().upstream().commands().info(section);
                Map<String, CompletableFuture<String>> byNode = new LinkedHashMap<>();
                executions.asMap().forEach((node, future) ->
                        byNode.put(node.getUri().getHost() + ":" + node.getUri().getPort(), future));
                return CompletableFuture.allOf(byNode.values().toArray(CompletableFuture[]::new)).thenApply(done -> {
                    Map<String, String> texts = new TreeMap<>();
                    byNode.forEach((node, future) -> texts.put(node, future.join()));
                    return texts;
                });
            }
        });
    }

    /**
     * A dedicated connection opened lazily through the application's {@code client} to {@code uri};
     * the connection (not the client) is closed with this target.
     */
    public static RedisTarget of(RedisClient client, RedisURI uri) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(uri, "uri");
        return new RedisTarget(describe(uri), false, new LazyConnector(client, uri, false));
    }

    /**
     * A dedicated connection opened lazily through the application's {@code client} to the URI the client
     * was created with ({@code RedisClient.create(uri)}); the connection (not the client) is closed with
     * this target. Lettuce connects such a client blocking, so opskit does it on a short-lived thread of its
     * own, one attempt at a time, and every check still waits no longer than its timeout.
     */
    public static RedisTarget of(RedisClient client) {
        Objects.requireNonNull(client, "client");
        return new RedisTarget("redis client", false, new LazyConnector(client, null, false));
    }

    /**
     * A dedicated client and connection to {@code uri}, opened lazily and closed with this target.
     * Commands sent while it is disconnected fail at once instead of waiting in a buffer.
     */
    public static RedisTarget of(RedisURI uri) {
        Objects.requireNonNull(uri, "uri");
        return new RedisTarget(describe(uri), false, new LazyConnector(null, uri, true));
    }

    /** What this target is, for outputs and logs: a URI without its password. */
    public String description() {
        return description;
    }

    /** Whether this is a Redis Cluster connection. */
    public boolean isCluster() {
        return cluster;
    }

    /** Closes what opskit opened for this target; the application's own connection stays open. */
    @Override
    public void close() {
        connector.close();
    }

    /** The commands, once connected; the future fails if the connection cannot be opened. */
    CompletableFuture<RedisClusterAsyncCommands<?, ?>> commands() {
        return connector.commands();
    }

    @Override
    public String toString() {
        return "RedisTarget{" + description + '}';
    }

    static String describe(RedisURI uri) {
        return Redactor.redact(uri.toString()); // Lettuce masks the password itself; redact once more anyway
    }

    /**
     * INFO of every node this target judges, by node ({@code host:port}); one entry for a standalone
     * target, keyed by the empty string, and one per upstream node of a cluster.
     */
    CompletableFuture<Map<String, String>> infoPerNode(String section) {
        return connector.infoPerNode(section);
    }

    /** Hands out the commands of a connection. */
    interface Connector {
        CompletableFuture<RedisClusterAsyncCommands<?, ?>> commands();

        default CompletableFuture<Map<String, String>> infoPerNode(String section) {
            return commands().thenCompose(c -> c.info(section)).thenApply(text -> Map.of("", text));
        }

        default void close() {
        }
    }

    /**
     * Opens one connection on first use and keeps it; Lettuce reconnects it. An own client is created
     * on first use too, so a target that is never used holds no threads. A connect that failed is
     * retried on the next use; a connect still in flight is shared, so a hanging peer never piles up
     * connection attempts.
     */
    private static final class LazyConnector implements Connector {
        private RedisClient client;
        private final RedisURI uri;
        private final boolean ownsClient;
        private CompletableFuture<StatefulRedisConnection<String, String>> connection;
        private boolean closed;

        /**
         * {@code client} is null when the connector creates its own on first use; {@code uri} is null when
         * the client's own URI is used.
         */
        LazyConnector(RedisClient client, RedisURI uri, boolean ownsClient) {
            this.client = client;
            this.uri = uri;
            this.ownsClient = ownsClient;
        }

        @Override
        public synchronized CompletableFuture<RedisClusterAsyncCommands<?, ?>> commands() {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("redis target "
                        + (uri == null ? "" : describe(uri) + " ") + "is closed"));
            }
            if (client == null) {
                client = RedisClient.create();
                client.setOptions(ClientOptions.builder()
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .build());
            }
            if (connection == null || connection.isCompletedExceptionally() || connection.isCancelled()) {
                connection = uri == null
                        ? CompletableFuture.supplyAsync(() -> client.connect(StringCodec.UTF8), LazyConnector::connectThread)
                        : client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
            }
            return connection.thenApply(StatefulRedisConnection::async);
        }

        private static void connectThread(Runnable connect) {
            Thread t = new Thread(connect, "opskit-redis-connect");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() {
            CompletableFuture<StatefulRedisConnection<String, String>> open;
            RedisClient used;
            synchronized (this) {
                closed = true;
                open = connection;
                used = client;
            }
            if (open != null) {
                open.whenComplete((c, error) -> {
                    if (c != null) {
                        c.closeAsync();
                    }
                });
            }
            if (ownsClient && used != null) {
                used.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
            }
        }
    }
}
