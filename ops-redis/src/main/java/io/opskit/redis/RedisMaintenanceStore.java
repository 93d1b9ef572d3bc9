package io.opskit.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.opskit.core.AttachContext;
import io.opskit.core.CheckRegistration;
import io.opskit.core.OpsComponent;
import io.opskit.core.endpoint.OpsEndpoint;
import io.opskit.core.endpoint.OpsResponses;
import io.opskit.core.endpoint.Role;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import io.opskit.core.maintenance.MaintenanceState;
import io.opskit.core.maintenance.MaintenanceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A fleet-wide {@link MaintenanceStore}: the state lives in one Redis key (as JSON with the reason
 * and expected end) and every change is published on a channel, so one operator command switches
 * every instance within a second.
 *
 * <pre>{@code
 * RedisMaintenanceStore store = RedisMaintenanceStore.builder(RedisURI.create("redis://ops-redis:6379")).build();
 * store.subscribe(state -> log.info("maintenance now {}", state.enabled()));
 * store.write(MaintenanceState.on("database upgrade", Optional.of(end), "programmatic"));
 * }</pre>
 *
 * <p>Operators can switch it from {@code redis-cli} too (write the key, then publish the same value):
 * <pre>
 * SET opskit:maintenance '{"enabled":true,"reason":"db upgrade","expectedEnd":"2026-11-23T22:00:00Z"}'
 * PUBLISH opskit:maintenance '{"enabled":true,"reason":"db upgrade","expectedEnd":"2026-11-23T22:00:00Z"}'
 * </pre>
 *
 * <p>Resilience: an instance that was disconnected re-reads the key as soon as its subscription is
 * back, so it never misses a change. While Redis is unreachable the last known state stands
 * ({@link #read()} returns it) and {@code redis:maintenanceStore} warns. If Redis comes back
 * <em>without</em> the key (a restart without persistence), the first instance to reconnect writes
 * its last known state back ({@code SET NX}) and publishes it, so a restart loses no state that was
 * set. Switch maintenance off by writing an "off" state, never by deleting the key. A store built while
 * Redis is unreachable keeps trying in the background and follows once connected.
 *
 * <p>States read from Redis carry the source {@code redis}; the writer's own source is kept in the
 * value as {@code setBy}.
 */
public final class RedisMaintenanceStore implements MaintenanceStore, OpsComponent {

    /** Default key of the state. */
    public static final String DEFAULT_KEY = "opskit:maintenance";
    /** Default pub/sub channel of changes. */
    public static final String DEFAULT_CHANNEL = "opskit:maintenance";
    /** Default deadline of one command: 1 second. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(1);
    /** The source of every state read from Redis. */
    public static final String SOURCE = "redis";
    /** Default time between attempts to reach a Redis that was unreachable when the store was built: 5 s. */
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(5);
    /** The name of the store's check. */
    public static final String CHECK_NAME = "redis:maintenanceStore";

    private static final Logger LOG = LoggerFactory.getLogger(RedisMaintenanceStore.class);
    private static final Pattern NAME = Pattern.compile("[^\\s]{1,200}");

    private final String key;
    private final String channel;
    private final Duration timeout;
    private final Clock clock;
    private final List<Consumer<MaintenanceState>> listeners = new CopyOnWriteArrayList<>();
    /**
     * Listeners run here, in order, never on a Lettuce I/O thread (one that calls {@link #read()} must not
     * stall Redis I/O); connection retries run here too.
     */
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "opskit-redis-maintenance");
        t.setDaemon(true);
        return t;
    });
    private final MaintenanceLink link;
    private final CheckRegistration registration;
    private volatile Optional<MaintenanceState> lastKnown = Optional.empty();
    private volatile Optional<Instant> lastContact = Optional.empty();

    private RedisMaintenanceStore(Builder b) throws InterruptedException {
        this.key = b.key;
        this.channel = b.channel;
        this.timeout = b.timeout;
        this.clock = b.clock;
        // load the JSON codec now: a cold Jackson costs hundreds of ms, which must not delay the first switch
        MaintenanceJson.read(MaintenanceJson.write(MaintenanceState.off(SOURCE)), SOURCE, clock);
        this.registration = CheckRegistration.builder(CHECK_NAME, this::check)
                .componentType(RedisHealth.COMPONENT_TYPE)
                .critical(false)
                .interval(b.interval)
                .timeout(timeout.multipliedBy(2).plusMillis(500))
                .build();
        this.link = new MaintenanceLink(b.ownsClient ? RedisClient.create() : b.client, b.ownsClient, b.uri, channel,
                timeout, b.retryInterval, new Follower(), worker);
        if (link.connect()) {
            try {
                readFresh();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                LOG.warn("maintenance store: reading {} failed: {}", key, Result.describe(e));
            }
        } else {
            link.retryInBackground(() -> { });  // the follower re-reads the key once subscribed
        }
    }

    /** A store reached through the application's {@code client} at {@code uri}; the client stays the application's. */
    public static Builder builder(RedisClient client, RedisURI uri) {
        return new Builder(Objects.requireNonNull(client, "client"), Objects.requireNonNull(uri, "uri"), false);
    }

    /** A store with its own client to {@code uri}, shut down with the store. */
    public static Builder builder(RedisURI uri) {
        Objects.requireNonNull(uri, "uri");
        return new Builder(null, uri, true);
    }

    /**
     * The shared state. While Redis is unreachable (or the value unreadable) this is the last known
     * state, and {@code redis:maintenanceStore} says so; it throws only when no state was ever known.
     */
    @Override
    public Optional<MaintenanceState> read() throws Exception {
        try {
            return readFresh();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            if (lastKnown.isPresent()) {
                return lastKnown;
            }
            throw e;
        }
    }

    /** Writes the state to the key and publishes it; every subscriber in the fleet hears it. */
    @Override
    public void write(MaintenanceState state) throws Exception {
        Objects.requireNonNull(state, "state");
        String json = MaintenanceJson.write(state);
        var commands = link.commands();
        CompletableFuture<String> set = commands.set(key, json).toCompletableFuture();
        CompletableFuture<Long> published = commands.publish(channel, json).toCompletableFuture();
        Await.get(set, timeout, "SET " + key);
        long receivers = Await.get(published, timeout, "PUBLISH " + channel);
        contact();
        lastKnown = Optional.of(MaintenanceJson.read(json, SOURCE, clock));
        LOG.info("maintenance state written to {}: {} (heard by {} subscriber{})", key, describe(state), receivers,
                receivers == 1 ? "" : "s");
    }

    /**
     * Calls {@code listener} with every state published by any instance (this one included), and with
     * changes found on re-reading; in order, on a thread of the store.
     */
    @Override
    public AutoCloseable subscribe(Consumer<MaintenanceState> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The last state read or heard, without asking Redis. */
    public Optional<MaintenanceState> lastKnown() {
        return lastKnown;
    }

    /** {@code redis:maintenanceStore}, non-critical: warns when Redis is unreachable and the last known state stands. */
    public CheckRegistration registration() {
        return registration;
    }

    /**
     * {@code GET /ops/maintenance-store} for viewers, the fleet-wide flag as this instance knows
     * it: the key and channel, the last state read or heard (enabled, reason, since, expected
     * end, source) and when Redis last answered. Contributed by attaching the store.
     */
    public OpsEndpoint endpoint() {
        return OpsEndpoint.of("/ops/maintenance-store", Map.of("GET", Role.VIEWER), request -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("key", key);
            out.put("channel", channel);
            lastKnown.ifPresent(s -> {
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("enabled", s.enabled());
                state.put("reason", s.reason());
                state.put("since", s.since().toString());
                s.expectedEnd().ifPresent(e -> state.put("expectedEnd", e.toString()));
                state.put("source", s.source());
                out.put("lastKnown", state);
            });
            lastContact.ifPresent(t -> out.put("lastContact", t.toString()));
            return OpsResponses.json(200, out);
        });
    }

    /**
     * Registers {@link #registration()} and contributes {@link #endpoint()}; the store keeps running
     * until {@link #close()}.
     */
    @Override
    public void attachTo(AttachContext context) {
        context.check(registration());
        context.endpoint(endpoint());
    }

    /** Unsubscribes and closes the store's connections (and its own client); stops retrying. */
    @Override
    public void close() {
        worker.shutdownNow();
        link.close();
    }

    private Result check() throws Exception {
        try {
            Optional<MaintenanceState> state = readFresh();
            String now = state.map(RedisMaintenanceStore::describe).orElse("no state set yet");
            if (!link.isSubscribed()) {
                return Result.warn("subscription to " + channel + " is down, changes arrive when it is back; " + now)
                        .withDetail("key", key).withDetail("subscribed", false);
            }
            return Result.pass("following " + key + ": " + now).withDetail("key", key).withDetail("channel", channel)
                    .withDetail("subscribed", true);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            String known = lastKnown.map(RedisMaintenanceStore::describe).orElse("no state known");
            return Result.warn("Redis unreachable or value unreadable (" + Result.describe(e) + "): last known state stands: "
                            + known + lastContact.map(t -> ", last contact " + t).orElse(""))
                    .withDetail("key", key)
                    .withDetail("subscribed", link.isSubscribed());
        }
    }

    /** GET under the timeout; a missing key with a known state is restored. */
    private Optional<MaintenanceState> readFresh() throws Exception {
        String json = Await.get(link.commands().get(key), timeout, "GET " + key);
        contact();
        if (json == null) {
            lastKnown.ifPresent(this::restore);
            return lastKnown;
        }
        MaintenanceState state;
        try {
            state = MaintenanceJson.read(json, SOURCE, clock);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("value of " + key + " is " + e.getMessage(), e);
        }
        adopt(state, true);
        return Optional.of(state);
    }

    /** Re-reads asynchronously, on the Lettuce thread that told us the subscription is back. */
    private void rereadAsync() {
        link.commands().get(key).whenComplete((json, error) -> {
            if (error != null) {
                LOG.warn("maintenance store: re-reading {} failed: {}", key, Result.describe(error));
                return;
            }
            contact();
            if (json == null) {
                lastKnown.ifPresent(this::restore);
                return;
            }
            try {
                adopt(MaintenanceJson.read(json, SOURCE, clock), true);
            } catch (IllegalArgumentException e) {
                LOG.warn("value of {} is unreadable, keeping the last known state: {}", key, Redactor.redact(e.getMessage()));
            }
        });
    }

    /** Redis lost the key (a restart without persistence): put back what we knew, unless another instance did. */
    private void restore(MaintenanceState known) {
        String json = MaintenanceJson.write(known);
        var commands = link.commands();
        commands.set(key, json, SetArgs.Builder.nx()).whenComplete((ok, error) -> {
            if ("OK".equals(ok)) {
                LOG.warn("{} was missing in Redis (restarted without persistence?): restored the last known state: {}",
                        key, describe(known));
                commands.publish(channel, json);
            } else if (error != null) {
                LOG.warn("maintenance store: restoring {} failed: {}", key, Result.describe(error));
            }
        });
    }

    private void adopt(MaintenanceState state, boolean onlyIfChanged) {
        Optional<MaintenanceState> before = lastKnown;
        lastKnown = Optional.of(state);
        if (onlyIfChanged && before.isPresent() && same(before.get(), state)) {
            return;
        }
        notifyListeners(state);
    }

    private void notifyListeners(MaintenanceState state) {
        try {
            worker.execute(() -> {
                for (Consumer<MaintenanceState> listener : listeners) {
                    try {
                        listener.accept(state);
                    } catch (RuntimeException e) {
                        LOG.warn("maintenance listener {} failed: {}", listener, Redactor.redact(String.valueOf(e)));
                    }
                }
            });
        } catch (RejectedExecutionException closed) {
            // the store is closed: nobody listens any more
        }
    }

    private void contact() {
        lastContact = Optional.of(clock.instant());
    }

    private static boolean same(MaintenanceState a, MaintenanceState b) {
        return a.enabled() == b.enabled() && a.reason().equals(b.reason()) && a.since().equals(b.since())
                && a.expectedEnd().equals(b.expectedEnd());
    }

    private static String describe(MaintenanceState s) {
        if (!s.enabled()) {
            return "maintenance off";
        }
        return "maintenance on" + (s.reason().isEmpty() ? "" : " (" + s.reason() + ")") + " since " + s.since()
                + s.expectedEnd().map(e -> ", expected to end " + e).orElse("");
    }

    /** Follows the channel; a (re)subscription triggers a re-read so nothing sent while away is missed. */
    private final class Follower extends RedisPubSubAdapter<String, String> {
        @Override
        public void message(String from, String message) {
            if (!channel.equals(from)) {
                return;
            }
            contact();
            try {
                // the re-read that a (re)subscription starts may have delivered this state already: listeners
                // hear a change once, whichever of the two comes first
                adopt(MaintenanceJson.read(message, SOURCE, clock), true);
            } catch (IllegalArgumentException e) {
                LOG.warn("ignored an unreadable message on {}: {}", channel, Redactor.redact(e.getMessage()));
            }
        }

        @Override
        public void subscribed(String to, long count) {
            if (channel.equals(to)) {
                rereadAsync();
            }
        }
    }

    /** A validating builder; every setter names the field, the bad value and the fix. */
    public static final class Builder {
        private final RedisClient client;
        private final RedisURI uri;
        private final boolean ownsClient;
        private String key = DEFAULT_KEY;
        private String channel = DEFAULT_CHANNEL;
        private Duration timeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration interval = CheckRegistration.DEFAULT_INTERVAL;
        private Duration retryInterval = DEFAULT_RETRY_INTERVAL;
        private Clock clock = Clock.systemUTC();

        /** {@code client} is null when the store creates its own client in {@link #build()}. */
        private Builder(RedisClient client, RedisURI uri, boolean ownsClient) {
            this.client = client;
            this.uri = uri;
            this.ownsClient = ownsClient;
        }

        /** The key of the state (default {@code opskit:maintenance}); one per fleet. */
        public Builder key(String key) {
            this.key = name("key", key);
            return this;
        }

        /** The channel of changes (default {@code opskit:maintenance}). */
        public Builder channel(String channel) {
            this.channel = name("channel", channel);
            return this;
        }

        /** The deadline of one command (default 1 s). */
        public Builder commandTimeout(Duration timeout) {
            this.timeout = RedisHealth.Builder.positive("commandTimeout", timeout, "Duration.ofSeconds(1)");
            return this;
        }

        /** The interval of {@code redis:maintenanceStore}, which also re-reads the key (default 10 s). */
        public Builder interval(Duration interval) {
            this.interval = RedisHealth.Builder.positive("interval", interval, "Duration.ofSeconds(10)");
            return this;
        }

        /** How often a store that could not reach Redis when it was built tries again (default 5 s). */
        public Builder retryInterval(Duration retryInterval) {
            this.retryInterval = RedisHealth.Builder.positive("retryInterval", retryInterval, "Duration.ofSeconds(5)");
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Connects, subscribes and reads the current state, within the command timeout. If Redis is not
         * reachable, the store is built anyway and keeps trying in the background every retry interval;
         * until then {@code redis:maintenanceStore} warns and {@link #write} fails.
         *
         * @throws InterruptedException if interrupted while connecting
         */
        public RedisMaintenanceStore build() throws InterruptedException {
            return new RedisMaintenanceStore(this);
        }

        private static String name(String field, String value) {
            if (value == null || !NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(field + " must be 1 to 200 characters without spaces, but was '" + value
                        + "': use e.g. 'opskit:maintenance'");
            }
            return value;
        }
    }
}
