package io.opskit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a HikariCP pool ("Connection pool &lt; 80% utilization"): samples its
 * {@link HikariPoolMXBean} on an interval (active, idle, total, max, threads awaiting) and the
 * pool's borrower timeouts, and backs the {@code hikari:utilization} check, non-critical by default.
 *
 * <p>A busy pool is not a failing one: with every connection in use and threads waiting, borrowers
 * are still served as long as they get a connection within the pool's {@code connectionTimeout}, so
 * high utilization only WARNs. The check FAILs when borrowers actually time out (HikariCP's own
 * signal, {@code IMetricsTracker.recordConnectionTimeout()}; see {@link #timeoutCounting}) within
 * the last {@code timeoutWindow}: "pool exhausted" when that happened with every connection in use,
 * naming the {@link LeakTracker}'s leak suspects with their borrowing stacks. A pool with no
 * connections at all (the database is down) is not exhausted, and the check says so.
 *
 * <p>To count timeouts the watchdog needs HikariCP's metrics hook: it reads the
 * {@code hikaricp.connections.timeout} counter of a pool that reports to a Micrometer registry,
 * installs a counting {@code MetricsTrackerFactory} on a pool that has no metrics, and for a pool
 * with a factory of its own needs that factory wrapped with {@link #timeoutCounting} before the pool
 * starts (otherwise it WARNs at most and says so in the log). Configure the pool's metrics before
 * building the watchdog: HikariCP takes a metrics setting only once.
 *
 * <p>Two remediations, each opt-in and audited as an {@link ActionEvent}: soft-evicting the pool's
 * connections after N consecutive failed validations (stale connections after a failover; wire
 * {@link #validationListener()} into a {@link DataSourceHealthCheck}), and logging a thread dump
 * of the leak suspects when the pool becomes exhausted.
 *
 * <pre>{@code
 * HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(hikari).leakTracker(leaks)
 *         .softEvictAfterFailedValidations(3).threadDumpOnExhaustion(true).events(ops.events()).build().start();
 * ops.attach(watchdog);   // hikari:utilization, opskit.db.pool.*, /ops/pool
 * }</pre>
 */
public final class HikariPoolWatchdog implements OpsComponent, AutoCloseable, io.micrometer.core.instrument.binder.MeterBinder {

    /** Default check name. */
    public static final String DEFAULT_NAME = "hikari:utilization";
    /** Default sampling interval: 1 second. */
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(1);
    /** Default utilization that WARNs: 80%. */
    public static final double DEFAULT_WARN_AT = 0.80;
    /** Default time a borrower timeout keeps the check FAIL: 30 seconds. */
    public static final Duration DEFAULT_TIMEOUT_WINDOW = Duration.ofSeconds(30);

    /** The cumulative timeout count at a sample, and the pool's state then. */
    private record TimeoutSample(Instant time, long count, PoolSample pool) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(HikariPoolWatchdog.class);
    private static final int SUSPECTS_IN_DETAILS = 10;

    private final HikariDataSource pool;
    private final String name;
    private final Duration sampleInterval;
    private final double warnAt;
    private final Duration timeoutWindow;
    private final HikariTimeouts timeouts;
    private final LeakTracker leakTracker;
    private final int softEvictAfter;
    private final boolean threadDump;
    private final OpsEvents events;
    private final AtomicInteger failedValidations = new AtomicInteger();
    private final Object sampleLock = new Object();
    private volatile PoolSample latest;
    private Instant awaitingSince;   // guarded by sampleLock
    private boolean exhausted;       // guarded by sampleLock
    private final ArrayDeque<TimeoutSample> timeoutSamples = new ArrayDeque<>(); // guarded by sampleLock
    private TimeoutSample lastTimeout; // the sample that first saw the latest timeouts; guarded by sampleLock
    private final ScheduledJob sampler;

    private HikariPoolWatchdog(Builder b) {
        this.pool = b.pool;
        this.name = b.name;
        this.sampleInterval = b.sampleInterval;
        this.warnAt = b.warnAt;
        this.timeoutWindow = b.timeoutWindow;
        this.timeouts = new HikariTimeouts(b.pool, b.name);
        // the baseline: timeouts from now on count, even if the first sample comes after some
        timeouts.count().ifPresent(count -> timeoutSamples.add(new TimeoutSample(Instant.now(), count, null)));
        this.leakTracker = b.leakTracker;
        this.softEvictAfter = b.softEvictAfter;
        this.threadDump = b.threadDump;
        this.events = b.events;
        this.sampler = b.scheduler == null ? ScheduledJob.ownThread("opskit-hikari-watchdog") : ScheduledJob.on(b.scheduler);
    }

    /** Starts a watchdog of {@code pool}. */
    public static Builder builder(HikariDataSource pool) {
        return new Builder(pool);
    }

    /**
     * Wraps a pool's own {@code MetricsTrackerFactory} so that the watchdog can count borrower
     * timeouts too; every call still reaches {@code delegate}. Set it on the {@code HikariConfig}
     * before the pool starts: {@code config.setMetricsTrackerFactory(HikariPoolWatchdog.timeoutCounting(
     * new PrometheusMetricsTrackerFactory()))}. Not needed for a pool without metrics or one that reports
     * to a Micrometer registry ({@code setMetricRegistry(meterRegistry)}).
     */
    public static MetricsTrackerFactory timeoutCounting(MetricsTrackerFactory delegate) {
        return new HikariTimeouts.CountingFactory(Require.notNull("delegate", delegate), false);
    }

    /** Samples every sample interval on its scheduler (see {@link Builder#scheduler}); idempotent. */
    public HikariPoolWatchdog start() {
        sampler.start(name + ":watchdog", Duration.ZERO, sampleInterval, this::sampleQuietly);
        return this;
    }

    /** Stops sampling (and ends the watchdog's own thread, if it has one). */
    @Override
    public void close() {
        sampler.close();
    }

    /** Takes a sample now (the sampler does this on its interval); empty while the pool has not started. */
    public Optional<PoolSample> sample() {
        synchronized (sampleLock) {
            return sampleLocked();
        }
    }

    private Optional<PoolSample> sampleLocked() {
        HikariPoolMXBean mx = pool.getHikariPoolMXBean();
        if (mx == null) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        int awaiting = mx.getThreadsAwaitingConnection();
        if (awaiting > 0 && awaitingSince == null) {
            awaitingSince = now;
        } else if (awaiting == 0) {
            awaitingSince = null;
        }
        PoolSample s = new PoolSample(now, mx.getActiveConnections(), mx.getIdleConnections(), mx.getTotalConnections(),
                pool.getMaximumPoolSize(), awaiting, awaitingSince == null ? Duration.ZERO : Duration.between(awaitingSince, now));
        latest = s;
        timeouts.count().ifPresent(count -> recordTimeouts(new TimeoutSample(now, count, s)));
        boolean nowExhausted = timeoutsInWindow(now) > 0 && isFull(lastTimeout.pool());
        if (nowExhausted && !exhausted) {
            onExhaustion(s);
        }
        exhausted = nowExhausted;
        return Optional.of(s);
    }

    /** Keeps the samples of the window plus one baseline before it; remembers the sample that saw new timeouts. */
    private void recordTimeouts(TimeoutSample now) {
        TimeoutSample previous = timeoutSamples.peekLast();
        if (previous != null && now.count() < previous.count()) {
            timeoutSamples.clear();   // the counter went back (a new tracker): start over
        } else if (previous != null && now.count() > previous.count()) {
            lastTimeout = now;
        }
        timeoutSamples.addLast(now);
        Instant start = now.time().minus(timeoutWindow);
        while (timeoutSamples.size() > 2) {
            var it = timeoutSamples.iterator();
            it.next();
            if (it.next().time().isAfter(start)) {
                break;
            }
            timeoutSamples.removeFirst();
        }
    }

    /** Borrower timeouts within the window before {@code now}; 0 when the pool gives no signal. */
    private long timeoutsInWindow(Instant now) {
        if (timeoutSamples.size() < 2 || lastTimeout == null || lastTimeout.time().isBefore(now.minus(timeoutWindow))) {
            return 0;
        }
        return timeoutSamples.peekLast().count() - timeoutSamples.peekFirst().count();
    }

    private static boolean isFull(PoolSample s) {
        return s.max() > 0 && s.active() >= s.max();
    }

    /** The pool watched, for {@link JdbcEndpoints#pool}. */
    HikariDataSource pool() {
        return pool;
    }

    /** The latest sample, if any. */
    public Optional<PoolSample> latest() {
        return Optional.ofNullable(latest);
    }

    /**
     * Binds {@code opskit.db.pool.utilization{pool}} (active connections over the maximum, 0 to 1)
     * and {@code opskit.db.pool.threads.awaiting{pool}} from the latest sample: a scrape never
     * touches the pool. NaN until the first sample.
     */
    @Override
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        String poolName = String.valueOf(pool.getPoolName());
        io.micrometer.core.instrument.Gauge.builder("opskit.db.pool.utilization", this,
                        w -> w.latest == null ? Double.NaN : w.latest.utilization())
                .description("Connections in use as a share of the pool's maximum, from the watchdog's latest sample")
                .tag("pool", poolName).register(registry);
        io.micrometer.core.instrument.Gauge.builder("opskit.db.pool.threads.awaiting", this,
                        w -> w.latest == null ? Double.NaN : w.latest.threadsAwaiting())
                .description("Threads waiting for a connection, from the watchdog's latest sample").baseUnit("threads")
                .tag("pool", poolName).register(registry);
    }

    /**
     * Count consecutive failed validations and soft-evict the pool when they reach the
     * configured number (off unless {@link Builder#softEvictAfterFailedValidations(int)} was set).
     */
    public ValidationListener validationListener() {
        return this::validated;
    }

    /** The {@code hikari:utilization} check: reads the latest sample (or samples, if not started). */
    public HealthCheck check() {
        return this::status;
    }

    /**
     * A registration builder preset for {@link #check()}: datastore, readiness, non-critical (a pool
     * too small for the load is the same on every instance; failing readiness on it takes them all
     * out of the load balancer at once, while {@code db:connection} fails readiness when the
     * database is unreachable).
     */
    public CheckRegistration.Builder registrationBuilder() {
        return CheckRegistration.builder(name, check()).componentType("datastore").critical(false);
    }

    /** A ready registration of {@link #check()}. */
    public CheckRegistration registration() {
        return registrationBuilder().build();
    }

    /**
     * Registers {@link #registration()}, binds the gauges ({@link #bindTo}) and contributes
     * {@code /ops/pool} (unless another pool's watchdog serves it already). Does not start sampling:
     * {@link #start()} does.
     */
    @Override
    public void attachTo(AttachContext context) {
        context.check(registration());
        context.meters(this);
        JdbcEndpoints.contribute(context, JdbcEndpoints.pool(this));
    }

    private Result status() {
        boolean sampling = sampler.isStarted();
        Optional<PoolSample> maybe = sampling && latest != null ? Optional.of(latest) : sample();
        if (maybe.isEmpty()) {
            return Result.pass("pool not started yet");
        }
        PoolSample s = maybe.get();
        long timedOut;
        TimeoutSample at;
        synchronized (sampleLock) {
            timedOut = timeoutsInWindow(s.time());
            at = lastTimeout;
        }
        double percent = Math.round(s.utilization() * 1000) / 10.0;
        long connectionTimeoutMs = pool.getConnectionTimeout();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("active", s.active());
        details.put("idle", s.idle());
        details.put("total", s.total());
        details.put("max", s.max());
        details.put("threadsAwaiting", s.threadsAwaiting());
        details.put("awaitingForMs", s.awaitingFor().toMillis());
        details.put("connectionTimeoutMs", connectionTimeoutMs);
        details.put("timeoutsInWindow", timedOut);
        details.put("timeoutWindowSeconds", timeoutWindow.toSeconds());
        details.put("timeoutSource", timeouts.source());
        String timedOutText = timedOut + " borrower(s) timed out after " + connectionTimeoutMs + " ms (connectionTimeout) in the last "
                + timeoutWindow.toSeconds() + " s";
        Result result;
        if (timedOut > 0 && at.pool().total() == 0) {
            result = Result.fail("pool has no connections: " + timedOutText + " because it cannot open any (is the database "
                    + "reachable?); an empty pool is not exhausted");
        } else if (timedOut > 0 && isFull(at.pool())) {
            List<LeakSuspect> suspects = suspects();
            details.put("leakSuspects", suspects.stream().limit(SUSPECTS_IN_DETAILS).map(suspect -> suspect.asMap(8))
                    .collect(Collectors.toList()));
            result = Result.fail("pool exhausted: " + timedOutText + "; " + at.pool().active() + " of " + at.pool().max()
                    + " in use, " + at.pool().threadsAwaiting() + " thread(s) waiting"
                    + (suspects.isEmpty() ? "" : "; " + suspects.size() + " leak suspect(s), longest: " + suspects.get(0).describe()));
        } else if (timedOut > 0) {
            result = Result.fail(timedOutText + " with " + at.pool().total() + " of " + at.pool().max()
                    + " connections open: the pool cannot open connections fast enough (database refusing or slow to connect)");
        } else if (s.total() == 0 && s.threadsAwaiting() > 0) {
            result = Result.warn("pool has no connections and " + s.threadsAwaiting() + " thread(s) waiting: it cannot open any "
                    + "(is the database reachable?); an empty pool is not exhausted");
        } else if (s.utilization() >= warnAt) {
            result = Result.warn(String.format(Locale.ROOT, "pool busy: %.1f%% in use (%d of %d), %d thread(s) waiting; %s",
                    percent, s.active(), s.max(), s.threadsAwaiting(), HikariTimeouts.NONE.equals(timeouts.source())
                            ? "borrower timeouts are not visible for this pool (see the log)"
                            : "no borrower timed out in the last " + timeoutWindow.toSeconds() + " s"));
        } else {
            result = Result.pass();
        }
        return result.withObservedValue(percent, "percent").withDetails(details);
    }

    private List<LeakSuspect> suspects() {
        return leakTracker == null ? List.of() : leakTracker.leakSuspects();
    }

    private void onExhaustion(PoolSample s) {
        if (!threadDump) {
            return;
        }
        List<LeakSuspect> suspects = suspects();
        StringBuilder dump = new StringBuilder(name).append(" pool exhausted: borrowers time out (").append(s.threadsAwaiting())
                .append(" thread(s) waiting, ").append(s.active()).append(" of ").append(s.max()).append(" in use); ")
                .append(suspects.size()).append(" leak suspect(s):");
        for (LeakSuspect suspect : suspects) {
            dump.append("\n  ").append(suspect.describe()).append("\n    borrowed at:");
            suspect.borrowStack().forEach(f -> dump.append("\n      at ").append(f));
            ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(suspect.threadId(), 32);
            if (info == null) {
                dump.append("\n    thread has ended");
            } else {
                dump.append("\n    thread '").append(info.getThreadName()).append("' is now ").append(info.getThreadState());
                for (StackTraceElement e : info.getStackTrace()) {
                    dump.append("\n      at ").append(e);
                }
            }
        }
        LOG.warn(Redactor.redact(dump.toString()));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("threadsAwaiting", Integer.toString(s.threadsAwaiting()));
        details.put("suspects", Integer.toString(suspects.size()));
        details.put("threads", suspects.stream().map(LeakSuspect::threadName).distinct().collect(Collectors.joining(",")));
        publish(ActionEvent.of(name, "thread-dump", "pool exhausted: logged the stacks of " + suspects.size()
                + " leak suspect(s)", details));
    }

    private void validated(boolean valid) {
        if (softEvictAfter <= 0) {
            return;
        }
        if (valid) {
            failedValidations.set(0);
            return;
        }
        int failures = failedValidations.incrementAndGet();
        if (failures >= softEvictAfter && failedValidations.compareAndSet(failures, 0)) {
            HikariPoolMXBean mx = pool.getHikariPoolMXBean();
            if (mx == null) {
                return;
            }
            mx.softEvictConnections();
            LOG.warn("{} soft-evicted the pool's connections after {} consecutive failed validations", name, failures);
            publish(ActionEvent.of(name, "soft-evict", "soft-evicted the pool's connections after " + failures
                    + " consecutive failed validations", Map.of("failedValidations", Integer.toString(failures))));
        }
    }

    private void sampleQuietly() {
        try {
            sample();
        } catch (RuntimeException e) {
            LOG.warn("{} could not sample the pool: {}", name, Redactor.redact(String.valueOf(e)));
        }
    }

    private void publish(ActionEvent event) {
        try {
            events.publish(event);
        } catch (RuntimeException e) {
            LOG.warn("{} could not publish its action event: {}", name, Redactor.redact(String.valueOf(e)));
        }
    }

    /** Validating builder of a {@link HikariPoolWatchdog}. */
    public static final class Builder {
        private final HikariDataSource pool;
        private String name = DEFAULT_NAME;
        private Duration sampleInterval = DEFAULT_SAMPLE_INTERVAL;
        private double warnAt = DEFAULT_WARN_AT;
        private Duration timeoutWindow = DEFAULT_TIMEOUT_WINDOW;
        private LeakTracker leakTracker;
        private int softEvictAfter;
        private boolean threadDump;
        private OpsEvents events = OpsEvents.NOOP;
        private OpsScheduler scheduler;

        private Builder(HikariDataSource pool) {
            this.pool = Require.notNull("pool", pool);
        }

        /** The check name; default {@value HikariPoolWatchdog#DEFAULT_NAME}. */
        public Builder name(String value) {
            this.name = Require.name("name", value, "orders-pool:utilization");
            return this;
        }

        /** How often the pool is sampled; default 1 s. */
        public Builder sampleInterval(Duration value) {
            this.sampleInterval = Require.positive("sampleInterval", value, "Duration.ofSeconds(1)");
            return this;
        }

        /** Utilization (0..1] that WARNs; default 0.80. */
        public Builder warnAt(double ratio) {
            this.warnAt = Require.ratio("warnAt", ratio, "0.80");
            return this;
        }

        /**
         * How long a borrower timeout keeps the check FAIL; default 30 s. Keep it longer than the
         * check's interval so that every timeout is seen by at least one run.
         */
        public Builder timeoutWindow(Duration value) {
            this.timeoutWindow = Require.positive("timeoutWindow", value, "Duration.ofSeconds(30)");
            return this;
        }

        /** The tracker whose leak suspects the check names (wrap the pool with it). */
        public Builder leakTracker(LeakTracker value) {
            this.leakTracker = Require.notNull("leakTracker", value);
            return this;
        }

        /** Soft-evict the pool after this many consecutive failed validations (at least 1); default off. */
        public Builder softEvictAfterFailedValidations(int value) {
            this.softEvictAfter = Require.atLeast("softEvictAfterFailedValidations", value, 1, "3");
            return this;
        }

        /** Log a thread dump of the leak suspects when the pool becomes exhausted; default off. */
        public Builder threadDumpOnExhaustion(boolean value) {
            this.threadDump = value;
            return this;
        }

        /** Where remediations are audited, e.g. {@code ops.events()}. */
        public Builder events(OpsEvents value) {
            this.events = Require.notNull("events", value);
            return this;
        }

        /**
         * Where sampling runs: pass {@code ops.scheduler()} so that the watchdog owns no thread
         * (default: a daemon thread of its own).
         */
        public Builder scheduler(OpsScheduler value) {
            this.scheduler = Require.notNull("scheduler", value);
            return this;
        }

        /**
         * Builds the watchdog (not yet sampling) and hooks into the pool's borrower timeouts: on a pool
         * without metrics this installs a counting {@code MetricsTrackerFactory}.
         */
        public HikariPoolWatchdog build() {
            return new HikariPoolWatchdog(this);
        }
    }
}
