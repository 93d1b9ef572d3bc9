package io.opskit.redis;

import io.lettuce.core.KillArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opskit.core.ActionEvent;
import io.opskit.core.AttachContext;
import io.opskit.core.CheckRegistration;
import io.opskit.core.OpsComponent;
import io.opskit.core.OpsEvents;
import io.opskit.core.OpsScheduler;
import io.opskit.core.ScheduledJob;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Terminates Redis clients idle longer than a threshold: {@code CLIENT LIST}, then {@code CLIENT KILL ID}
 * for each match, filtered by client name, library name and address patterns (all given filters must
 * match). It never terminates its own connection nor the connections given to
 * {@link Builder#protect(StatefulConnection...)}, told apart by the {@code CLIENT ID} each of them
 * reports on every run (never by a client name, which anyone can set), never a client blocked in a
 * blocking command, and
 * never replicas, the master link or pub/sub subscribers unless asked. A dry run only reports; a cap
 * bounds the terminations per run. Every termination is logged, counted in
 * {@code opskit.reaper.terminated{component=redis,state=idle}} and published as an {@link ActionEvent};
 * the last run is the check {@code redis:reaper}.
 *
 * <pre>{@code
 * RedisIdleClientReaper reaper = RedisIdleClientReaper.builder(RedisTarget.of(adminConnection))
 *         .idleThreshold(Duration.ofMinutes(5)).clientName("batch-.*").maxPerRun(20)
 *         .meterRegistry(registry).events(ops.events()).build();
 * ops.attach(reaper);   // redis:reaper
 * reaper.start();
 * }</pre>
 */
public final class RedisIdleClientReaper implements OpsComponent, AutoCloseable {

    /** The name of the check of the last run. */
    public static final String CHECK_NAME = "redis:reaper";
    /** Default idle time after which a client is terminated: 5 minutes. */
    public static final Duration DEFAULT_IDLE_THRESHOLD = Duration.ofMinutes(5);
    /** Default terminations per run: 10. */
    public static final int DEFAULT_MAX_PER_RUN = 10;
    /** Default interval between runs: 1 minute. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private static final Logger LOG = LoggerFactory.getLogger(RedisIdleClientReaper.class);

    private final RedisTarget target;
    private final Builder config;
    private final Counter terminatedCounter;
    private final CheckRegistration registration;
    private volatile Optional<RedisReaperRun> lastRun = Optional.empty();
    private final ScheduledJob job;

    private RedisIdleClientReaper(Builder b) {
        this.target = b.target;
        this.job = b.scheduler == null ? ScheduledJob.ownThread("opskit-redis-reaper") : ScheduledJob.on(b.scheduler);
        this.config = b.copy();
        this.terminatedCounter = b.registry == null ? null : Counter.builder("opskit.reaper.terminated")
                .description("Connections an opskit reaper terminated")
                .baseUnit("connections")
                .tag("component", "redis")
                .tag("state", "idle")
                .register(b.registry);
        this.registration = CheckRegistration.builder(CHECK_NAME, this::check)
                .componentType(RedisHealth.COMPONENT_TYPE)
                .critical(false)
                .interval(b.interval)
                .build();
    }

    /** Starts a reaper that works through {@code target}, a standalone connection. */
    public static Builder builder(RedisTarget target) {
        Objects.requireNonNull(target, "target");
        if (target.isCluster()) {
            throw new IllegalArgumentException("target must be a standalone connection, but was " + target.description()
                    + ": run one reaper per cluster node, each with RedisTarget.of(nodeConnection)");
        }
        return new Builder(target);
    }

    /** Runs once now and returns what it did; a failure is in {@link RedisReaperRun#error()}, never thrown. */
    public synchronized RedisReaperRun runOnce() throws InterruptedException {
        RedisReaperRun run;
        try {
            Set<Long> ours = ownIds();
            List<RedisClientInfo> clients = RedisClientInfo.parseList(
                    Commands.run(target, config.timeout, "CLIENT LIST", c -> c.clientList()));
            List<RedisClientInfo> matches = select(clients, ours);
            List<RedisClientInfo> chosen = matches.subList(0, Math.min(matches.size(), config.maxPerRun));
            List<RedisClientInfo> done = config.dryRun ? chosen : terminate(chosen);
            run = new RedisReaperRun(config.clock.instant(), config.dryRun, clients.size(), done,
                    matches.size() - chosen.size(), Optional.empty());
            if (config.dryRun && !done.isEmpty()) {
                done.forEach(c -> LOG.info("redis:reaper dry run: would terminate {}", Redactor.redact(c.describe())));
            }
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            LOG.warn("redis:reaper run failed: {}", Result.describe(e));
            run = new RedisReaperRun(config.clock.instant(), config.dryRun, 0, List.of(), 0, Optional.of(Result.describe(e)));
        }
        lastRun = Optional.of(run);
        return run;
    }

    /**
     * The ids of the reaper's own connection and of every protected one, asked of each connection
     * itself before the {@code CLIENT LIST}: a connection that reconnects in between gets a new id,
     * but is then idle for less than a second, so never over the threshold.
     */
    private Set<Long> ownIds() throws Exception {
        Set<Long> ids = new HashSet<>();
        ids.add(Commands.run(target, config.timeout, "CLIENT ID", c -> c.clientId()));
        for (StatefulConnection<?, ?> c : config.protectedConnections) {
            if (!c.isOpen()) {
                continue;   // closed or disconnected: it has no client on the server to protect
            }
            ids.add(Await.get(clientId(c), config.timeout, "CLIENT ID of a protected connection"));
        }
        return ids;
    }

    private static CompletionStage<Long> clientId(StatefulConnection<?, ?> connection) {
        if (connection instanceof StatefulRedisConnection<?, ?> c) {
            return c.async().clientId();
        }
        if (connection instanceof StatefulRedisPubSubConnection<?, ?> c) {
            return c.async().clientId();
        }
        throw new IllegalStateException("unreachable: the builder accepts standalone and pub/sub connections only");
    }

    /** The clients a run would terminate, most idle first, before the cap. */
    List<RedisClientInfo> select(List<RedisClientInfo> clients, long ownId) {
        return select(clients, Set.of(ownId));
    }

    /** The clients a run would terminate, most idle first, before the cap; never one of {@code ours}. */
    List<RedisClientInfo> select(List<RedisClientInfo> clients, Set<Long> ours) {
        List<RedisClientInfo> matches = new ArrayList<>();
        for (RedisClientInfo c : clients) {
            if (ours.contains(c.id()) || c.isBlocked() || c.idle().compareTo(config.idleThreshold) <= 0) {
                continue;
            }
            if ((c.isReplica() || c.isMaster()) && !config.includeReplicas) {
                continue;
            }
            if (c.isPubSub() && !config.includePubSub) {
                continue;
            }
            if (!matches(config.name, c.name()) || !matches(config.libraryName, c.libraryName())
                    || !matches(config.address, c.address())) {
                continue;
            }
            matches.add(c);
        }
        matches.sort((a, b) -> b.idle().compareTo(a.idle()));
        return matches;
    }

    /**
     * Runs {@link #runOnce()} every interval on its scheduler (see {@link Builder#scheduler}),
     * starting one interval from now; idempotent.
     */
    public RedisIdleClientReaper start() {
        job.start("redis:reaper", config.interval, config.interval, () -> {
            try {
                runOnce();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return this;
    }

    /** The last run, if any. */
    public Optional<RedisReaperRun> lastRun() {
        return lastRun;
    }

    /** {@code redis:reaper}, non-critical: the last run's count in details; warns if it failed or hit its cap. */
    public CheckRegistration registration() {
        return registration;
    }

    /**
     * Registers {@link #registration()}. Starts nothing ({@link #start()} does); its counters go to
     * the registry given to {@link Builder#meterRegistry(MeterRegistry)}.
     */
    @Override
    public void attachTo(AttachContext context) {
        context.check(registration());
    }

    /** Stops the schedule (and ends the reaper's own thread, if it has one); a run in progress finishes. */
    @Override
    public void close() {
        job.close();
    }

    private List<RedisClientInfo> terminate(List<RedisClientInfo> chosen) throws Exception {
        // pipelined: every CLIENT KILL goes out at once, so a large run costs about one round trip
        var commands = Await.get(target.commands(), config.timeout, "connecting to " + target.description());
        List<CompletableFuture<Long>> kills = new ArrayList<>();
        for (RedisClientInfo c : chosen) {
            kills.add(commands.clientKill(KillArgs.Builder.id(c.id())).toCompletableFuture());
        }
        List<RedisClientInfo> done = new ArrayList<>();
        long deadline = System.nanoTime() + config.timeout.toNanos();
        for (int i = 0; i < chosen.size(); i++) {
            RedisClientInfo c = chosen.get(i);
            long killed;
            try {
                Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
                killed = Await.get(kills.get(i), left, "CLIENT KILL ID " + c.id());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                LOG.warn("redis:reaper could not terminate {}: {}", Redactor.redact(c.describe()), Result.describe(e));
                continue;
            }
            if (killed < 1) {
                continue; // it left by itself in the meantime
            }
            done.add(c);
            if (terminatedCounter != null) {
                terminatedCounter.increment();
            }
            String line = Redactor.redact(c.describe());
            LOG.info("redis:reaper terminated idle client {}", line);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("id", String.valueOf(c.id()));
            details.put("address", c.address());
            details.put("name", c.name());
            details.put("libraryName", c.libraryName());
            details.put("idleSeconds", String.valueOf(c.idle().toSeconds()));
            details.put("target", target.description());
            config.events.publish(ActionEvent.of(CHECK_NAME, "terminate", "terminated idle client " + line, details));
        }
        return done;
    }

    private Result check() {
        Optional<RedisReaperRun> last = lastRun;
        if (last.isEmpty()) {
            return Result.pass("not run yet").withDetail("dryRun", config.dryRun);
        }
        RedisReaperRun run = last.get();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lastRun", run.time().toString());
        details.put("dryRun", run.dryRun());
        details.put("examined", run.examined());
        details.put(run.dryRun() ? "wouldTerminate" : "terminated", run.count());
        details.put("skippedByCap", run.skippedByCap());
        details.put("idleThresholdSeconds", config.idleThreshold.toSeconds());
        if (run.error().isPresent()) {
            return Result.warn("last run failed: " + run.error().get()).withDetails(details);
        }
        String verb = run.dryRun() ? "would have terminated " : "terminated ";
        String output = verb + run.count() + " idle client" + (run.count() == 1 ? "" : "s") + " of " + run.examined();
        if (run.skippedByCap() > 0) {
            return Result.warn(output + "; cap of " + config.maxPerRun + " reached, " + run.skippedByCap()
                    + " more wait for the next run").withObservedValue(run.count(), "clients").withDetails(details);
        }
        return Result.pass(output).withObservedValue(run.count(), "clients").withDetails(details);
    }

    private static boolean matches(Optional<Pattern> pattern, String value) {
        return pattern.isEmpty() || pattern.get().matcher(value).matches();
    }

    /** A validating builder; every setter names the field, the bad value and the fix. */
    public static final class Builder {
        private final RedisTarget target;
        private Duration idleThreshold = DEFAULT_IDLE_THRESHOLD;
        private Optional<Pattern> name = Optional.empty();
        private Optional<Pattern> libraryName = Optional.empty();
        private Optional<Pattern> address = Optional.empty();
        private boolean includeReplicas;
        private boolean includePubSub;
        private boolean dryRun;
        private int maxPerRun = DEFAULT_MAX_PER_RUN;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration timeout = RedisHealth.DEFAULT_COMMAND_TIMEOUT;
        private OpsEvents events = OpsEvents.NOOP;
        private MeterRegistry registry;
        private Clock clock = Clock.systemUTC();
        private OpsScheduler scheduler;
        private List<StatefulConnection<?, ?>> protectedConnections = List.of();

        private Builder(RedisTarget target) {
            this.target = target;
        }

        /**
         * Connections never terminated, whatever their names, e.g. the application's own: each reports
         * its {@code CLIENT ID} at the start of every run (a closed one is skipped). Standalone and
         * pub/sub connections; the reaper's own connection is always protected.
         */
        public Builder protect(StatefulConnection<?, ?>... connections) {
            Objects.requireNonNull(connections, "connections");
            List<StatefulConnection<?, ?>> all = new ArrayList<>(protectedConnections);
            for (StatefulConnection<?, ?> c : connections) {
                if (!(c instanceof StatefulRedisConnection<?, ?>) && !(c instanceof StatefulRedisPubSubConnection<?, ?>)) {
                    throw new IllegalArgumentException("connections must be standalone or pub/sub connections, but was "
                            + (c == null ? "null" : c.getClass().getSimpleName())
                            + ": protect the connection of each cluster node, or use one reaper per node");
                }
                all.add(c);
            }
            this.protectedConnections = List.copyOf(all);
            return this;
        }

        /** Terminate clients idle longer than this (default 5 min; Redis counts idle time in whole seconds). */
        public Builder idleThreshold(Duration threshold) {
            if (threshold == null || threshold.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("idleThreshold must be at least 1 second (Redis counts idle time in"
                        + " seconds), but was " + threshold + ": use e.g. Duration.ofMinutes(5)");
            }
            this.idleThreshold = threshold;
            return this;
        }

        /** Only clients whose whole name matches this regular expression, e.g. {@code batch-.*}. */
        public Builder clientName(String regex) {
            this.name = Optional.of(pattern("clientName", regex));
            return this;
        }

        /** Only clients whose whole library name ({@code lib-name}, Redis 7.2+) matches, e.g. {@code jedis}. */
        public Builder libraryName(String regex) {
            this.libraryName = Optional.of(pattern("libraryName", regex));
            return this;
        }

        /** Only clients whose whole address {@code ip:port} matches, e.g. {@code 10\.1\.2\.\d+:\d+}. */
        public Builder address(String regex) {
            this.address = Optional.of(pattern("address", regex));
            return this;
        }

        /** Also terminate replicas and the master link (default no). */
        public Builder includeReplicas(boolean include) {
            this.includeReplicas = include;
            return this;
        }

        /** Also terminate pub/sub subscribers (default no: they are idle by design). */
        public Builder includePubSub(boolean include) {
            this.includePubSub = include;
            return this;
        }

        /** Only report what would be terminated (default no). */
        public Builder dryRun(boolean dryRun) {
            this.dryRun = dryRun;
            return this;
        }

        /** At most this many terminations per run (default 10). */
        public Builder maxPerRun(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPerRun must be at least 1, but was " + max
                        + ": use dryRun(true) to terminate nothing");
            }
            this.maxPerRun = max;
            return this;
        }

        /** Time between scheduled runs after {@link #start()} (default 1 min). */
        public Builder interval(Duration interval) {
            this.interval = RedisHealth.Builder.positive("interval", interval, "Duration.ofMinutes(1)");
            return this;
        }

        /** The deadline of one command (default 1 s). */
        public Builder commandTimeout(Duration timeout) {
            this.timeout = RedisHealth.Builder.positive("commandTimeout", timeout, "Duration.ofSeconds(1)");
            return this;
        }

        /** Where terminations are audited, e.g. {@code ops.events()} (default nowhere). */
        public Builder events(OpsEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** Where {@code opskit.reaper.terminated} is counted. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where scheduled runs go: pass {@code ops.scheduler()} so that the reaper owns no thread
         * (default: a daemon thread of its own).
         */
        public Builder scheduler(OpsScheduler value) {
            this.scheduler = Objects.requireNonNull(value, "scheduler");
            return this;
        }

        /** Builds the reaper; it does nothing until {@link RedisIdleClientReaper#runOnce()} or {@link RedisIdleClientReaper#start()}. */
        public RedisIdleClientReaper build() {
            return new RedisIdleClientReaper(this);
        }

        private Builder copy() {
            Builder c = new Builder(target);
            c.idleThreshold = idleThreshold;
            c.name = name;
            c.libraryName = libraryName;
            c.address = address;
            c.includeReplicas = includeReplicas;
            c.includePubSub = includePubSub;
            c.dryRun = dryRun;
            c.maxPerRun = maxPerRun;
            c.interval = interval;
            c.timeout = timeout;
            c.events = events;
            c.registry = registry;
            c.clock = clock;
            c.protectedConnections = protectedConnections;
            return c;
        }

        private static Pattern pattern(String field, String regex) {
            try {
                return Pattern.compile(Objects.requireNonNull(regex, field));
            } catch (java.util.regex.PatternSyntaxException e) {
                throw new IllegalArgumentException(field + " must be a regular expression, but was '" + regex + "': "
                        + e.getDescription() + "; use e.g. 'batch-.*'");
            }
        }
    }
}
