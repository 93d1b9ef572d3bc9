package io.opskit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.opskit.core.ActionEvent;
import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.OpsEvents;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a HikariCP pool ("Connection pool &lt; 80% utilization"): samples its
 * {@link HikariPoolMXBean} on an interval (active, idle, total, max, threads awaiting) and backs
 * the {@code hikari:utilization} check: WARN at 80% of the maximum in use, FAIL once threads have
 * been waiting for a connection longer than {@code exhaustedAfter} (the pool is exhausted),
 * naming the {@link LeakTracker}'s leak suspects with their borrowing stacks.
 *
 * <p>Two remediations, each opt-in and audited as an {@link ActionEvent}: soft-evicting the pool's
 * connections after N consecutive failed validations (stale connections after a failover; wire
 * {@link #validationListener()} into a {@link DataSourceHealthCheck}), and logging a thread dump
 * of the leak suspects when the pool becomes exhausted.
 *
 * <pre>{@code
 * HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(hikari).leakTracker(leaks)
 *         .softEvictAfterFailedValidations(3).threadDumpOnExhaustion(true).events(ops.events()).build().start();
 * ops.register(watchdog.registration());
 * }</pre>
 */
public final class HikariPoolWatchdog implements AutoCloseable {

    /** Default check name. */
    public static final String DEFAULT_NAME = "hikari:utilization";
    /** Default sampling interval: 1 second. */
    public static final Duration DEFAULT_SAMPLE_INTERVAL = Duration.ofSeconds(1);
    /** Default utilization that WARNs: 80%. */
    public static final double DEFAULT_WARN_AT = 0.80;
    /** Default time threads must wait without a break before the pool counts as exhausted. */
    public static final Duration DEFAULT_EXHAUSTED_AFTER = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(HikariPoolWatchdog.class);
    private static final int SUSPECTS_IN_DETAILS = 10;

    private final HikariDataSource pool;
    private final String name;
    private final Duration sampleInterval;
    private final double warnAt;
    private final Duration exhaustedAfter;
    private final LeakTracker leakTracker;
    private final int softEvictAfter;
    private final boolean threadDump;
    private final OpsEvents events;
    private final AtomicInteger failedValidations = new AtomicInteger();
    private volatile PoolSample latest;
    private Instant awaitingSince;
    private boolean exhausted;
    private ScheduledExecutorService sampler;

    private HikariPoolWatchdog(Builder b) {
        this.pool = b.pool;
        this.name = b.name;
        this.sampleInterval = b.sampleInterval;
        this.warnAt = b.warnAt;
        this.exhaustedAfter = b.exhaustedAfter;
        this.leakTracker = b.leakTracker;
        this.softEvictAfter = b.softEvictAfter;
        this.threadDump = b.threadDump;
        this.events = b.events;
    }

    /** Starts a watchdog of {@code pool}. */
    public static Builder builder(HikariDataSource pool) {
        return new Builder(pool);
    }

    /** Samples every sample interval on its own daemon thread; idempotent. */
    public synchronized HikariPoolWatchdog start() {
        if (sampler == null) {
            sampler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "opskit-hikari-watchdog");
                t.setDaemon(true);
                return t;
            });
            long ms = sampleInterval.toMillis();
            sampler.scheduleAtFixedRate(this::sampleQuietly, 0, ms, TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** Stops sampling and waits for the sampler thread to end. */
    @Override
    public synchronized void close() {
        if (sampler != null) {
            sampler.shutdownNow();
            try {
                sampler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sampler = null;
        }
    }

    /** Takes a sample now (the sampler does this on its interval); empty while the pool has not started. */
    public synchronized Optional<PoolSample> sample() {
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
        boolean nowExhausted = isExhausted(s);
        if (nowExhausted && !exhausted) {
            onExhaustion(s);
        }
        exhausted = nowExhausted;
        return Optional.of(s);
    }

    /** The latest sample, if any. */
    public Optional<PoolSample> latest() {
        return Optional.ofNullable(latest);
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

    /** A registration builder preset for {@link #check()}: datastore, readiness, critical. */
    public CheckRegistration.Builder registrationBuilder() {
        return CheckRegistration.builder(name, check()).componentType("datastore");
    }

    /** A ready registration of {@link #check()}. */
    public CheckRegistration registration() {
        return registrationBuilder().build();
    }

    private Result status() {
        boolean sampling;
        synchronized (this) {
            sampling = sampler != null;
        }
        Optional<PoolSample> maybe = sampling && latest != null ? Optional.of(latest) : sample();
        if (maybe.isEmpty()) {
            return Result.pass("pool not started yet");
        }
        PoolSample s = maybe.get();
        double percent = Math.round(s.utilization() * 1000) / 10.0;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("active", s.active());
        details.put("idle", s.idle());
        details.put("total", s.total());
        details.put("max", s.max());
        details.put("threadsAwaiting", s.threadsAwaiting());
        details.put("awaitingForMs", s.awaitingFor().toMillis());
        Result result;
        if (isExhausted(s)) {
            List<LeakSuspect> suspects = suspects();
            details.put("leakSuspects", suspects.stream().limit(SUSPECTS_IN_DETAILS).map(suspect -> suspect.asMap(8))
                    .collect(Collectors.toList()));
            result = Result.fail("pool exhausted: " + s.threadsAwaiting() + " thread(s) waiting for a connection for "
                    + s.awaitingFor().toMillis() + " ms, " + s.active() + " of " + s.max() + " in use"
                    + (suspects.isEmpty() ? "" : "; " + suspects.size() + " leak suspect(s), longest: " + suspects.get(0).describe()));
        } else if (s.utilization() >= warnAt) {
            result = Result.warn(String.format(Locale.ROOT, "pool %.1f%% in use (%d of %d)", percent, s.active(), s.max()));
        } else {
            result = Result.pass();
        }
        return result.withObservedValue(percent, "percent").withDetails(details);
    }

    private boolean isExhausted(PoolSample s) {
        return s.threadsAwaiting() > 0 && s.awaitingFor().compareTo(exhaustedAfter) >= 0;
    }

    private List<LeakSuspect> suspects() {
        return leakTracker == null ? List.of() : leakTracker.leakSuspects();
    }

    private void onExhaustion(PoolSample s) {
        if (!threadDump) {
            return;
        }
        List<LeakSuspect> suspects = suspects();
        StringBuilder dump = new StringBuilder(name).append(" pool exhausted (").append(s.threadsAwaiting())
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
        private Duration exhaustedAfter = DEFAULT_EXHAUSTED_AFTER;
        private LeakTracker leakTracker;
        private int softEvictAfter;
        private boolean threadDump;
        private OpsEvents events = OpsEvents.NOOP;

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

        /** How long threads must wait without a break before the pool counts as exhausted; default 2 s. */
        public Builder exhaustedAfter(Duration value) {
            this.exhaustedAfter = Require.positive("exhaustedAfter", value, "Duration.ofSeconds(2)");
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

        /** Builds the watchdog (not yet sampling). */
        public HikariPoolWatchdog build() {
            return new HikariPoolWatchdog(this);
        }
    }
}
