package io.opskit.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.event.Event;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.event.connection.ConnectionDeactivatedEvent;
import io.lettuce.core.event.connection.ConnectionEvent;
import io.lettuce.core.event.connection.DisconnectedEvent;
import io.lettuce.core.event.connection.ReconnectFailedEvent;
import io.lettuce.core.resource.ClientResources;
import io.opskit.core.AttachContext;
import io.opskit.core.CheckRegistration;
import io.opskit.core.OpsComponent;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import io.opskit.core.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * {@code redis:connection}, pushed rather than polled: it follows Lettuce's event bus, so a
 * disconnect or a failed reconnect turns the check FAIL the moment Lettuce notices, and a
 * reconnect turns it back. Listeners registered with {@link #onChange(Consumer)} hear each change at
 * once, e.g. to make the health engine re-run the check instead of waiting for its interval.
 *
 * <pre>{@code
 * RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(redisClient).build();
 * ops.attach(watchdog);   // redis:connection, re-run by the engine at every change
 * ...
 * watchdog.close();       // on shutdown, before the client
 * }</pre>
 *
 * <p>A server is "lost" when a connection to it went down and none to it is active. Every connection
 * made with the watched client (or {@link ClientResources}) counts. Watching a client (rather than
 * resources) also tells a deliberate {@code close()} by the application from a loss; with resources
 * only, closing the last connection to a server reads as lost.
 */
public final class RedisConnectionWatchdog implements OpsComponent, AutoCloseable {

    /** The check's name. */
    public static final String NAME = "redis:connection";
    /** Default interval at which the engine re-reads the check; changes arrive through {@link #onChange}. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnectionWatchdog.class);

    /** When a server was lost, how many reconnects failed since, and the last error. */
    private record Lost(Instant since, int failedAttempts, String lastError) {
    }

    private final Clock clock;
    private final Instant started;
    private final CheckRegistration registration;
    private final Map<String, String> activeChannels = new HashMap<>(); // local|remote -> remote
    private final Map<String, Lost> lost = new LinkedHashMap<>();       // remote -> since
    private final List<Consumer<? super Result>> listeners = new CopyOnWriteArrayList<>();
    private final Disposable subscription;
    /** The watched client's connections and their servers, to tell a deliberate close from a loss. */
    private final Map<RedisChannelHandler<?, ?>, String> handlers = new WeakHashMap<>();
    private final Optional<AbstractRedisClient> client;
    private final RedisConnectionStateListener stateListener = new RedisConnectionStateListener() {
        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress remote) {
            synchronized (RedisConnectionWatchdog.this) {
                handlers.keySet().removeIf(RedisChannelHandler::isClosed); // deliberately closed ones are history
                handlers.put(connection, Addresses.format(remote));
            }
        }
    };
    private volatile Result current;

    private RedisConnectionWatchdog(Builder b) {
        this.clock = b.clock;
        this.started = clock.instant();
        this.current = Result.pass("no disconnect seen since the watchdog started");
        this.registration = CheckRegistration.builder(NAME, this::currentResult)
                .componentType(RedisHealth.COMPONENT_TYPE)
                .critical(b.critical)
                .interval(b.interval)
                .successThreshold(b.successThreshold)
                .failureThreshold(1)
                .build();
        this.client = b.client;
        client.ifPresent(c -> c.addListener(stateListener));
        this.subscription = b.resources.eventBus().get().subscribe(this::onEvent,
                error -> LOG.warn("redis:connection stopped following Lettuce events: {}", Redactor.redact(String.valueOf(error))));
    }

    /** Watches every connection of {@code client} (a {@code RedisClient} or {@code RedisClusterClient}). */
    public static Builder builder(AbstractRedisClient client) {
        Builder b = new Builder(Objects.requireNonNull(client, "client").getResources());
        b.client = Optional.of(client);
        return b;
    }

    /** Watches every connection of every client built with {@code resources}. */
    public static Builder builder(ClientResources resources) {
        return new Builder(Objects.requireNonNull(resources, "resources"));
    }

    /**
     * The ready registration of {@code redis:connection}; failure threshold 1, so a loss is reported at
     * once; critical unless built with {@code critical(false)}.
     */
    public CheckRegistration registration() {
        return registration;
    }

    /** The current status, as of the latest event. */
    public Status status() {
        return current.status();
    }

    /** The current result, as of the latest event. */
    public Result currentResult() {
        return current;
    }

    /**
     * Adds a listener called on the event thread whenever the status changes (PASS to FAIL or back).
     * It must not block; one that throws is logged and skipped.
     *
     * @return a handle that removes the listener when closed
     */
    public AutoCloseable onChange(Consumer<? super Result> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * Registers {@code redis:connection} and makes the engine re-run it at every change this
     * watchdog sees, so a lost connection is reported at once instead of at its next interval.
     * The watchdog follows events from its build to its {@link #close()}; attaching starts nothing.
     */
    @Override
    public void attachTo(AttachContext context) {
        context.check(registration);
        context.onDetach(onChange(result -> context.ops().refresh(NAME).exceptionally(error -> {
            LOG.warn("re-running {} failed: {}", NAME, Redactor.redact(String.valueOf(error)));
            return null;
        })));
    }

    /** Stops following events. */
    @Override
    public void close() {
        subscription.dispose();
        client.ifPresent(c -> c.removeListener(stateListener));
    }

    private void onEvent(Event event) {
        if (!(event instanceof ConnectionEvent)) {
            return;
        }
        ConnectionEvent e = (ConnectionEvent) event;
        String remote = Addresses.format(e.remoteAddress());
        String channel = Addresses.format(e.localAddress()) + "|" + remote;
        Result before;
        Result after;
        synchronized (this) {
            before = current;
            Instant now = clock.instant();
            if (event instanceof ConnectionActivatedEvent) {
                activeChannels.put(channel, remote);
                Lost was = lost.remove(remote);
                if (was != null) {
                    LOG.info("redis:connection to {} is back after {} ms", remote, Duration.between(was.since, now).toMillis());
                }
            } else if (event instanceof DisconnectedEvent || event instanceof ConnectionDeactivatedEvent) {
                activeChannels.remove(channel);
                if (!activeChannels.containsValue(remote) && !lost.containsKey(remote) && !closedDeliberately(remote)) {
                    lost.put(remote, new Lost(now, 0, ""));
                    LOG.warn("redis:connection to {} lost", remote);
                }
            } else if (event instanceof ReconnectFailedEvent) {
                ReconnectFailedEvent failed = (ReconnectFailedEvent) event;
                Lost was = lost.getOrDefault(remote, new Lost(now, 0, ""));
                String error = failed.getCause() == null ? "" : Result.describe(failed.getCause());
                lost.put(remote, new Lost(was.since, Math.max(was.failedAttempts + 1, failed.getAttempt() + 1), error));
            } else {
                return;
            }
            current = describe(now);
            after = current;
        }
        if (before.status() != after.status()) {
            for (Consumer<? super Result> listener : listeners) {
                try {
                    listener.accept(after);
                } catch (RuntimeException ex) {
                    LOG.warn("redis:connection listener {} failed: {}", listener, Redactor.redact(String.valueOf(ex)));
                }
            }
        }
    }

    /**
     * Whether every connection of the watched client to {@code remote} was closed by the application
     * (Lettuce marks a connection closed before its channel goes down). Unknown connections count as lost.
     */
    private boolean closedDeliberately(String remote) {
        boolean known = false;
        for (Map.Entry<RedisChannelHandler<?, ?>, String> e : handlers.entrySet()) {
            if (e.getValue().equals(remote)) {
                if (!e.getKey().isClosed()) {
                    return false;
                }
                known = true;
            }
        }
        return known;
    }

    private Result describe(Instant now) {
        if (lost.isEmpty()) {
            long servers = activeChannels.values().stream().distinct().count();
            return Result.pass("connected: " + activeChannels.size() + " connection" + (activeChannels.size() == 1 ? "" : "s")
                            + " to " + servers + " server" + (servers == 1 ? "" : "s"))
                    .withDetail("connections", activeChannels.size())
                    .withDetail("watchingSince", started.toString());
        }
        Map.Entry<String, Lost> first = lost.entrySet().iterator().next();
        Lost l = first.getValue();
        String output = "connection to " + first.getKey() + " lost at " + l.since
                + (l.failedAttempts > 0 ? ", " + l.failedAttempts + " reconnect attempt" + (l.failedAttempts == 1 ? "" : "s")
                + " failed" + (l.lastError.isEmpty() ? "" : ": " + l.lastError) : "");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lostServers", List.copyOf(lost.keySet()));
        details.put("lostSince", l.since.toString());
        details.put("failedReconnects", l.failedAttempts);
        return Result.fail(output).withDetails(details);
    }

    /** A validating builder; every setter names the field, the bad value and the fix. */
    public static final class Builder {
        private final ClientResources resources;
        private Optional<AbstractRedisClient> client = Optional.empty();
        private Duration interval = DEFAULT_INTERVAL;
        private int successThreshold = 1;
        private boolean critical = true;
        private Clock clock = Clock.systemUTC();

        private Builder(ClientResources resources) {
            this.resources = resources;
        }

        /** How often the engine re-reads the check anyway (default 10 s); changes are pushed at once. */
        public Builder interval(Duration interval) {
            this.interval = RedisHealth.Builder.positive("interval", interval, "Duration.ofSeconds(10)");
            return this;
        }

        /** Consecutive passing runs after a reconnect before the engine reports PASS again (default 1). */
        public Builder successThreshold(int threshold) {
            if (threshold < 1 || threshold > CheckRegistration.MAX_THRESHOLD) {
                throw new IllegalArgumentException("successThreshold must be between 1 and " + CheckRegistration.MAX_THRESHOLD
                        + ", but was " + threshold + ": use e.g. 2 to ride out a flapping link");
            }
            this.successThreshold = threshold;
            return this;
        }

        /**
         * Whether a lost connection fails readiness (default {@code true}: the application cannot work
         * without Redis) or only makes it WARN ({@code false}: Redis is an optional cache the
         * application serves without; see {@link RedisHealth.Builder#cacheMode(boolean)}).
         */
        public Builder critical(boolean value) {
            this.critical = value;
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Subscribes to the event bus and returns the running watchdog. */
        public RedisConnectionWatchdog build() {
            return new RedisConnectionWatchdog(this);
        }
    }
}
