package io.opskit.jdbc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opskit.core.ActionEvent;
import io.opskit.core.AttachContext;
import io.opskit.core.CheckRegistration;
import io.opskit.core.OpsComponent;
import io.opskit.core.HealthCheck;
import io.opskit.core.OpsEvents;
import io.opskit.core.OpsScheduler;
import io.opskit.core.ScheduledJob;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook's "kill idle connections", as a scheduled, scoped, capped and audited job:
 * every {@link ReaperConfig#interval()} it opens one session of its own, lets its
 * {@link ReaperDialect} select and terminate the sessions that have been idle (or idle in a
 * transaction) too long, closes it, logs every termination (never the query text unless asked),
 * counts it in {@code opskit.reaper.terminated{component,state}}, and keeps the run as the result
 * of its {@code postgres:reaper} check.
 *
 * <p>It never terminates what it must not: built on a pool tracked by {@link PoolSessions}, it
 * knows the pool's sessions by their server session id (never by a name a foreign session could
 * take too) and leaves them alone, idle or not; it opens its own session outside that pool, so an
 * exhausted pool never gets another waiter; and by default it acts only on client sessions of the
 * pool's database and role (see {@link ReaperConfig} for what must be named to widen that).
 *
 * <pre>{@code
 * PoolSessions.track(hikariConfig);                  // before new HikariDataSource(hikariConfig)
 * HikariDataSource pool = new HikariDataSource(hikariConfig);
 * IdleConnectionReaper reaper = IdleConnectionReaper.builder(pool)
 *         .config(ReaperConfig.builder().idleTimeout(Duration.ofMinutes(5)).build())
 *         .events(ops.events()).build();
 * ops.attach(reaper);   // postgres:reaper, opskit.reaper.*
 * reaper.start();       // ... reaper.close() on shutdown
 * }</pre>
 */
public final class IdleConnectionReaper implements OpsComponent, AutoCloseable, MeterBinder {

    private static final Logger LOG = LoggerFactory.getLogger(IdleConnectionReaper.class);

    private final Connector connector;
    private final Optional<PoolSessions> pool;
    private final List<PoolSessions> protectedPools;
    private final ReaperConfig config;
    private final ReaperDialect dialect;
    private final OpsEvents events;
    private final String checkName;
    private final ReentrantLock running = new ReentrantLock();
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private volatile ReaperRun lastRun;
    private final ScheduledJob job;

    private IdleConnectionReaper(Builder b) {
        this.connector = b.connector;
        this.pool = b.pool;
        this.protectedPools = List.copyOf(b.protectedPools);
        this.config = b.config;
        this.dialect = b.dialect;
        this.events = b.events;
        this.job = b.scheduler == null ? ScheduledJob.ownThread("opskit-reaper-" + b.dialect.component()) : ScheduledJob.on(b.scheduler);
        this.checkName = b.name != null ? b.name : b.dialect.component() + ":reaper";
    }

    /**
     * Starts a reaper working for {@code pool}, a pool whose physical connections are tracked by
     * {@link PoolSessions} ({@code PoolSessions.track(hikariConfig)} before the pool was built). The
     * reaper never terminates the pool's sessions, opens its own session outside the pool (as the
     * pool opens its own, with the same credentials), and by default reaps only the pool's role and
     * database.
     *
     * @throws IllegalArgumentException if {@code pool} is not tracked: the reaper could not tell its sessions apart
     */
    public static Builder builder(DataSource pool) {
        Require.notNull("pool", pool);
        TrackingDataSource tracking = TrackingDataSource.find(pool).orElseThrow(() -> new IllegalArgumentException(
                "pool must be built on a tracked data source, but " + pool.getClass().getName() + " is not, so the reaper "
                        + "could not tell the pool's own sessions from others and would terminate them: call "
                        + "PoolSessions.track(hikariConfig) before new HikariDataSource(hikariConfig) (or give any other pool "
                        + "PoolSessions.track(physicalDataSource)); for a dedicated, unpooled reaper login use "
                        + "IdleConnectionReaper.unpooled(dataSource).protect(pool)"));
        return new Builder(tracking::connectOutsidePool, Optional.of(tracking.sessions()));
    }

    /**
     * Starts a reaper that opens a new session through {@code direct} for each run: a plain,
     * unpooled data source (e.g. {@code PGSimpleDataSource}), typically of a dedicated reaper role.
     * By default it reaps only its own role and database; give the application's tracked pools to
     * {@link Builder#protect(DataSource...)} so their sessions are never terminated.
     */
    public static Builder unpooled(DataSource direct) {
        Require.notNull("direct", direct);
        if (TrackingDataSource.find(direct).isPresent()) {
            throw new IllegalArgumentException("direct must be an unpooled data source, but was a tracked pool ("
                    + direct.getClass().getName() + "): use IdleConnectionReaper.builder(pool) for it");
        }
        return new Builder(direct::getConnection, Optional.empty());
    }

    /** Schedules runs every {@link ReaperConfig#interval()}, the first one interval from now; idempotent. */
    public IdleConnectionReaper start() {
        job.start(checkName, config.interval(), config.interval(), this::runScheduled);
        return this;
    }

    /**
     * Stops scheduling. With a thread of its own, a run in progress is interrupted and the thread
     * ends; on {@code ops.scheduler()} a run in progress finishes (its statements are bounded by
     * the statement timeout).
     */
    @Override
    public void close() {
        job.close();
    }

    /**
     * Runs now, on the caller's thread (waiting for a scheduled run in progress to finish first).
     * Never throws: a failure is the run's {@link ReaperRun#error()}.
     */
    public ReaperRun runOnce() {
        running.lock();
        try {
            Instant startedAt = Instant.now();
            long start = System.nanoTime();
            ReaperRun run;
            try (Connection c = connector.connect()) {
                List<ReapedSession> sessions = dialect.reap(c, config, scope());
                if (!c.getAutoCommit()) {
                    c.commit();
                }
                run = new ReaperRun(startedAt, Duration.ofNanos(System.nanoTime() - start), config.dryRun(), sessions,
                        Optional.empty());
            } catch (SQLException | RuntimeException e) {
                run = new ReaperRun(startedAt, Duration.ofNanos(System.nanoTime() - start), config.dryRun(), List.of(),
                        Optional.of(Result.describe(e)));
                LOG.warn("{} run failed: {}", checkName, run.error().orElse(""));
            }
            report(run);
            lastRun = run;
            return run;
        } finally {
            running.unlock();
        }
    }

    /** The pools' session ids as of now; a pool that could not identify a session stops the run. */
    private ReaperScope scope() throws SQLException {
        Set<Long> ids = new HashSet<>();
        for (PoolSessions p : protectedPools) {
            Optional<String> why = p.unidentified();
            if (why.isPresent()) {
                throw new SQLException("refusing to run: a pooled connection could not be identified (" + why.get()
                        + "), so the pool's sessions cannot be told apart from others");
            }
            ids.addAll(p.sessionIds());
        }
        return new ReaperScope(ids, pool.map(PoolSessions::role).orElse(""), pool.map(PoolSessions::database).orElse(""));
    }

    /** A scheduled run must never throw: the executor would silently stop scheduling. */
    private void runScheduled() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            LOG.warn("{} run failed: {}", checkName, Result.describe(e));
        }
    }

    /** The last run, if any. */
    public Optional<ReaperRun> lastRun() {
        return Optional.ofNullable(lastRun);
    }

    /** The configuration. */
    public ReaperConfig config() {
        return config;
    }

    /**
     * The reaper's check: PASS with the last run's counts in details, WARN if the last run failed
     * or (once started) no run finished for three intervals.
     */
    public HealthCheck check() {
        return this::status;
    }

    /** A registration builder preset for {@link #check()}: {@code postgres:reaper}, datastore, non-critical. */
    public CheckRegistration.Builder registrationBuilder() {
        return CheckRegistration.builder(checkName, check()).componentType("datastore").critical(false);
    }

    /** A ready registration of {@link #check()}. */
    public CheckRegistration registration() {
        return registrationBuilder().build();
    }

    /**
     * Registers {@link #registration()} and binds the counters ({@link #bindTo}). Does not start the
     * reaper: {@link #start()} does. Build it with {@code .events(ops.events())} so its terminations
     * are audited.
     */
    @Override
    public void attachTo(AttachContext context) {
        context.check(registration());
        context.meters(this);
    }

    /**
     * Registers the {@code opskit.reaper.terminated} (tags {@code component}, {@code state}: idle,
     * idle_in_transaction) and {@code opskit.reaper.skipped} (tags {@code component}, {@code reason})
     * counters, in connections, shared in shape with the Redis reaper's.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        registries.add(registry);
        for (ReapedSession.State s : ReapedSession.State.values()) {
            terminated(registry, s);
        }
    }

    private Result status() {
        ReaperRun run = lastRun;
        boolean scheduled;
        scheduled = job.isStarted();
        if (run == null) {
            return Result.pass("no run yet").withDetail("dryRun", config.dryRun());
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("lastRun", run.startedAt().toString());
        details.put("tookMs", run.took().toMillis());
        details.put("dryRun", run.dryRun());
        details.put("terminated", run.terminated());
        details.put("wouldTerminate", run.wouldTerminate());
        details.put("gone", run.count(ReapedSession.Outcome.GONE));
        details.put("skipped", run.skipped().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().tag(), Map.Entry::getValue, Long::sum, LinkedHashMap::new)));
        if (run.failed()) {
            return Result.warn("last run failed: " + run.error().orElse("")).withDetails(details);
        }
        Duration age = Duration.between(run.startedAt(), Instant.now());
        if (scheduled && age.compareTo(config.interval().multipliedBy(3)) > 0) {
            return Result.warn("no run since " + run.startedAt()).withDetails(details);
        }
        String output = run.dryRun()
                ? "dry run: would terminate " + run.wouldTerminate() + " idle session(s)"
                : "terminated " + run.terminated() + " idle session(s)";
        return Result.pass(output).withObservedValue(run.dryRun() ? run.wouldTerminate() : run.terminated(), "sessions")
                .withDetails(details);
    }

    private void report(ReaperRun run) {
        for (ReapedSession s : run.sessions()) {
            if (s.outcome() == ReapedSession.Outcome.TERMINATED || s.outcome() == ReapedSession.Outcome.WOULD_TERMINATE) {
                if (LOG.isInfoEnabled()) {
                    LOG.info(Redactor.redact(describe(s)));
                }
                if (s.outcome() == ReapedSession.Outcome.TERMINATED) {
                    for (MeterRegistry r : registries) {
                        terminated(r, s.state()).increment();
                    }
                }
            } else if (s.outcome().isSkip()) {
                for (MeterRegistry r : registries) {
                    Counter.builder("opskit.reaper.skipped").description("Idle connections an opskit reaper left alone, by reason")
                            .tag("component", dialect.component()).tag("reason", s.outcome().tag()).baseUnit("connections")
                            .register(r).increment();
                }
            }
        }
        Map<ReapedSession.Outcome, Long> skipped = run.skipped();
        // the pool's own sessions are skipped on every run of a healthy reaper: not news at INFO
        boolean routine = skipped.keySet().stream().allMatch(o -> o == ReapedSession.Outcome.SKIPPED_OWN_POOL
                || o == ReapedSession.Outcome.SKIPPED_OWN_SESSION);
        if (!skipped.isEmpty() && (!routine || LOG.isDebugEnabled())) {
            String summary = skipped.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey().tag().replace('_', ' ')).collect(Collectors.joining(", "));
            if (routine) {
                LOG.debug("{} skipped {}", checkName, summary);
            } else {
                LOG.info("{} skipped {}", checkName, summary);
            }
        }
        long acted = run.dryRun() ? run.wouldTerminate() : run.terminated();
        if (acted > 0) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("count", Long.toString(acted));
            details.put("ids", run.sessions().stream()
                    .filter(s -> s.outcome() == ReapedSession.Outcome.TERMINATED || s.outcome() == ReapedSession.Outcome.WOULD_TERMINATE)
                    .limit(50).map(s -> Long.toString(s.id())).collect(Collectors.joining(",")));
            skipped.forEach((k, v) -> details.put("skipped." + k.tag(), Long.toString(v)));
            publish(ActionEvent.of(checkName, run.dryRun() ? "dry-run" : "terminate",
                    (run.dryRun() ? "would terminate " : "terminated ") + acted + " idle session(s)", details));
        }
    }

    private String describe(ReapedSession s) {
        return checkName + (s.outcome() == ReapedSession.Outcome.TERMINATED ? " terminated" : " would terminate")
                + " session " + s.id() + ": user=" + s.user() + ", application=" + s.application()
                + ", client=" + s.clientAddress().orElse("local") + ", state=" + s.state().tag()
                + ", idleFor=" + s.idleFor().withNanos(0)
                + (config.logQueryText() ? ", query=" + s.query().orElse("") : "");
    }

    private void publish(ActionEvent event) {
        try {
            events.publish(event);
        } catch (RuntimeException e) {
            LOG.warn("{} could not publish its action event: {}", checkName, Redactor.redact(String.valueOf(e)));
        }
    }

    private Counter terminated(MeterRegistry registry, ReapedSession.State state) {
        // same name, unit and tag keys as the Redis reaper's counter: one Prometheus series family for both
        return Counter.builder("opskit.reaper.terminated").description("Connections an opskit reaper terminated")
                .tag("component", dialect.component()).tag("state", state.tag()).baseUnit("connections").register(registry);
    }

    /** How the reaper opens its own session for a run. */
    @FunctionalInterface
    private interface Connector {
        Connection connect() throws SQLException;
    }

    /** Validating builder of an {@link IdleConnectionReaper}. */
    public static final class Builder {
        private final Connector connector;
        private final Optional<PoolSessions> pool;
        private final List<PoolSessions> protectedPools = new ArrayList<>();
        private ReaperConfig config = ReaperConfig.defaults();
        private ReaperDialect dialect = ReaperDialect.postgresql();
        private OpsEvents events = OpsEvents.NOOP;
        private String name;
        private OpsScheduler scheduler;

        private Builder(Connector connector, Optional<PoolSessions> pool) {
            this.connector = connector;
            this.pool = pool;
            pool.ifPresent(protectedPools::add);
        }

        /**
         * More pools whose sessions are never terminated (each tracked by {@link PoolSessions}), e.g.
         * the application's pools when the reaper logs in with a dedicated role through
         * {@link IdleConnectionReaper#unpooled(DataSource)}.
         *
         * @throws IllegalArgumentException for a pool that is not tracked
         */
        public Builder protect(DataSource... pools) {
            Require.notNull("pools", pools);
            for (DataSource p : pools) {
                Require.notNull("pools", p);
                protectedPools.add(PoolSessions.of(p).orElseThrow(() -> new IllegalArgumentException(
                        "pools must each be tracked, but " + p.getClass().getName() + " is not, so its sessions could not be "
                                + "told apart: call PoolSessions.track(hikariConfig) before building that pool")));
            }
            return this;
        }

        /** The check name (also the source of its events); default the dialect's, e.g. {@code postgres:reaper}. */
        public Builder name(String value) {
            this.name = Require.name("name", value, "orders-db:reaper");
            return this;
        }

        /** What to reap; default {@link ReaperConfig#defaults()}. */
        public Builder config(ReaperConfig value) {
            this.config = Require.notNull("config", value);
            return this;
        }

        /** The database dialect; default {@link ReaperDialect#postgresql()}. */
        public Builder dialect(ReaperDialect value) {
            this.dialect = Require.notNull("dialect", value);
            return this;
        }

        /** Where runs that terminated something are audited, e.g. {@code ops.events()}. */
        public Builder events(OpsEvents value) {
            this.events = Require.notNull("events", value);
            return this;
        }

        /**
         * Where scheduled runs go: pass {@code ops.scheduler()} so that the reaper owns no thread
         * (default: a daemon thread of its own).
         */
        public Builder scheduler(OpsScheduler value) {
            this.scheduler = Require.notNull("scheduler", value);
            return this;
        }

        /** Builds the reaper (not yet started). */
        public IdleConnectionReaper build() {
            return new IdleConnectionReaper(this);
        }
    }
}
