package io.opskit.jdbc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.AttachContext;
import io.opskit.core.CheckRegistration;
import io.opskit.core.OpsComponent;
import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.opskit.core.correlation.CorrelationId;
import io.opskit.jdbc.internal.SqlNormalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;

/**
 * Slow-query detection ("Query time &lt; 50ms (P95)", "/api/database/slow-queries"): a
 * DataSource wrapper built on datasource-proxy that times every statement into the
 * {@code opskit.db.query} timer (with p50/p95/p99 over a sliding window), keeps the slowest
 * recent statements in a bounded ring (normalized SQL with literals removed, duration, time,
 * correlation ID), and offers a {@code db:responseTime} check on the p95 (WARN above 50 ms). The
 * p95 is not judged (PASS, saying so) until at least {@code minStatements} statements (20) ran in
 * the window: a p95 of two statements is noise.
 *
 * <pre>{@code
 * QueryMonitor queries = QueryMonitor.builder().slowThreshold(Duration.ofMillis(100)).build();
 * DataSource dataSource = queries.wrap(hikariDataSource);
 * ops.attach(queries);    // db:responseTime, opskit.db.query, /ops/slow-queries
 * List<SlowQuery> slow = queries.slowQueries();    // what /api/database/slow-queries shows
 * }</pre>
 *
 * <p>Optionally each statement is prefixed with <code>/*correlation_id='…'*&#47;</code> (sqlcommenter
 * style) so {@code pg_stat_activity} and the server log show which request ran it; only IDs of a
 * safe alphabet are written. Note that this makes statement texts differ per request, which
 * defeats server-side prepared statement caching: keep it for diagnosis, or accept the cost.
 */
public final class QueryMonitor implements OpsComponent, MeterBinder {

    /** Default time from which a statement counts as slow: 50 ms. */
    public static final Duration DEFAULT_SLOW_THRESHOLD = Duration.ofMillis(50);
    /** Default number of slow statements kept. */
    public static final int DEFAULT_CAPACITY = 100;
    /** Default p95 above which {@code db:responseTime} WARNs: 50 ms. */
    public static final Duration DEFAULT_WARN_P95 = Duration.ofMillis(50);
    /** Default window the percentiles are computed over. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    /** Default check name. */
    public static final String DEFAULT_NAME = "db:responseTime";
    /** Default statements in the window before the p95 is judged: 20. */
    public static final int DEFAULT_MIN_STATEMENTS = 20;

    /** A cumulative statement count at a {@link System#nanoTime()}-like reading. */
    private record CountSample(long nanos, long count) {
    }

    private final String name;
    private final String dataSourceName;
    private final long slowNanos;
    private final Duration warnP95;
    private final Duration failP95;
    private final int minStatements;
    private final Duration window;
    private final LongSupplier nanoClock;
    private final ArrayDeque<CountSample> counts = new ArrayDeque<>(); // guarded by itself
    private final boolean commentCorrelationId;
    private final SlowQueryRing ring;
    /** Meters in the registries given to {@link #bindTo}; the monitor's own are {@link #localTimer} and {@link #localErrors}. */
    private final List<Timer> boundTimers = new CopyOnWriteArrayList<>();
    private final List<Counter> boundErrors = new CopyOnWriteArrayList<>();
    private final Timer localTimer;
    private final Counter localErrors;

    private QueryMonitor(Builder b) {
        this.name = b.name;
        this.dataSourceName = b.dataSourceName;
        this.slowNanos = b.slowThreshold.toNanos();
        this.warnP95 = b.warnP95;
        this.failP95 = b.failP95;
        this.minStatements = b.minStatements;
        this.window = b.window;
        this.nanoClock = b.nanoClock;
        this.counts.add(new CountSample(nanoClock.getAsLong(), 0));
        this.commentCorrelationId = b.commentCorrelationId;
        this.ring = new SlowQueryRing(b.capacity);
        // the check reads its own registry; bindTo() registers the same meters in the caller's registry. Not a
        // CompositeMeterRegistry: adding a registry to a composite that has meters logs a WARN on every clean start
        SimpleMeterRegistry local = new SimpleMeterRegistry();
        this.localTimer = timerIn(local);
        this.localErrors = errorsIn(local);
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A monitor with the defaults. */
    public static QueryMonitor create() {
        return builder().build();
    }

    /**
     * Wraps {@code dataSource} so that its statements are timed. Wrap once and hand the wrapper
     * to the application; to also track leaks use {@link JdbcOps#instrument(DataSource, LeakTracker, QueryMonitor)}.
     */
    public DataSource wrap(DataSource dataSource) {
        return Proxies.wrap(Require.notNull("dataSource", dataSource), this, null);
    }

    /** The recent slow statements, slowest first (at most the capacity). */
    public List<SlowQuery> slowQueries() {
        return ring.slowestFirst();
    }

    /** How many statements were slow since the monitor was created. */
    public long slowQueryCount() {
        return ring.total();
    }

    /** Forgets the recorded slow statements (the timer is unaffected). */
    public void clearSlowQueries() {
        ring.clear();
    }

    /** The p95 of statement time over the window (zero without statements). */
    public Duration p95() {
        return Duration.ofNanos((long) percentile(localTimer.takeSnapshot(), 0.95, TimeUnit.NANOSECONDS));
    }

    /**
     * The check on the p95: PASS, WARN above the warn threshold, FAIL above the fail threshold if set;
     * "not judged" (PASS) while fewer than {@code minStatements} statements ran in the window.
     */
    public HealthCheck check() {
        return this::status;
    }

    /** A registration builder preset for {@link #check()}: datastore, readiness, non-critical. */
    public CheckRegistration.Builder registrationBuilder() {
        return CheckRegistration.builder(name, check()).componentType("datastore").critical(false);
    }

    /** A ready registration of {@link #check()}. */
    public CheckRegistration registration() {
        return registrationBuilder().build();
    }

    /**
     * Registers {@link #registration()}, binds the meters ({@link #bindTo}) and contributes
     * {@code /ops/slow-queries} (unless another monitor serves it already).
     */
    @Override
    public void attachTo(AttachContext context) {
        context.check(registration());
        context.meters(this);
        JdbcEndpoints.contribute(context, JdbcEndpoints.slowQueries(this));
    }

    /** Registers {@code opskit.db.query} (timer) and {@code opskit.db.query.errors} in {@code registry}. */
    @Override
    public void bindTo(MeterRegistry registry) {
        boundTimers.add(timerIn(registry));
        boundErrors.add(errorsIn(registry));
    }

    private Timer timerIn(MeterRegistry registry) {
        return Timer.builder("opskit.db.query").description("Time to execute a JDBC statement")
                .tag("datasource", dataSourceName).publishPercentiles(0.5, 0.95, 0.99)
                .distributionStatisticExpiry(window).distributionStatisticBufferLength(3).register(registry);
    }

    private Counter errorsIn(MeterRegistry registry) {
        return Counter.builder("opskit.db.query.errors").description("JDBC statements that threw")
                .tag("datasource", dataSourceName).baseUnit("statements").register(registry);
    }

    String dataSourceName() {
        return dataSourceName;
    }

    boolean commentsCorrelationId() {
        return commentCorrelationId;
    }

    QueryExecutionListener listener() {
        return new Listener();
    }

    private Result status() {
        HistogramSnapshot snapshot = localTimer.takeSnapshot();
        if (snapshot.count() == 0) {
            return Result.pass("no statements yet");
        }
        long now = nanoClock.getAsLong();
        CountSample base = baseline(now, snapshot.count());
        long inWindow = snapshot.count() - base.count();
        long spanSeconds = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(now - base.nanos()));
        if (inWindow < minStatements) {
            return Result.pass("not judged: " + inWindow + " statement" + (inWindow == 1 ? "" : "s") + " in the last "
                            + spanSeconds + " s, need " + minStatements)
                    .withDetail("statements", inWindow)
                    .withDetail("minStatements", minStatements)
                    .withDetail("windowSeconds", window.toSeconds())
                    .withDetail("p95Ms", Math.round(percentile(snapshot, 0.95, TimeUnit.MILLISECONDS) * 100) / 100.0);
        }
        double p95 = percentile(snapshot, 0.95, TimeUnit.MILLISECONDS);
        double rounded = Math.round(p95 * 100) / 100.0;
        Status status = failP95 != null && p95 > failP95.toNanos() / 1e6 ? Status.FAIL
                : p95 > warnP95.toNanos() / 1e6 ? Status.WARN : Status.PASS;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("p50Ms", Math.round(percentile(snapshot, 0.5, TimeUnit.MILLISECONDS) * 100) / 100.0);
        details.put("p99Ms", Math.round(percentile(snapshot, 0.99, TimeUnit.MILLISECONDS) * 100) / 100.0);
        details.put("statements", inWindow);
        details.put("statementsTotal", snapshot.count());
        details.put("slowStatements", ring.total());
        List<Map<String, Object>> slowest = ring.slowestFirst().stream().limit(3).map(q -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sql", q.sql());
            m.put("ms", q.duration().toMillis());
            q.correlationId().ifPresent(id -> m.put("correlationId", id));
            return m;
        }).collect(Collectors.toList());
        if (!slowest.isEmpty()) {
            details.put("slowest", slowest);
        }
        String output = status == Status.PASS ? "" : "p95 statement time " + rounded + " ms is above "
                + (status == Status.FAIL ? failP95 : warnP95).toMillis() + " ms";
        return Result.of(status, output).withObservedValue(rounded, "ms").withDetails(details);
    }

    /**
     * The count to subtract from the current one: the newest sample at least a window old, else the
     * oldest (the window is still filling; the first sample is the monitor's creation, count 0).
     * Samples are kept at least a twelfth of the window apart, so the deque stays small however
     * often the check runs.
     */
    private CountSample baseline(long now, long count) {
        long windowNanos = window.toNanos();
        synchronized (counts) {
            while (counts.size() >= 2 && now - second().nanos() >= windowNanos) {
                counts.removeFirst();
            }
            CountSample base = counts.peekFirst();
            if (now - counts.peekLast().nanos() >= windowNanos / 12) {
                counts.addLast(new CountSample(now, count));
            }
            return base;
        }
    }

    private CountSample second() {
        var it = counts.iterator();
        it.next();
        return it.next();
    }

    private static double percentile(HistogramSnapshot snapshot, double p, TimeUnit unit) {
        for (ValueAtPercentile v : snapshot.percentileValues()) {
            if (v.percentile() == p) {
                return v.value(unit);
            }
        }
        return 0;
    }

    private void record(ExecutionInfo execution, List<QueryInfo> queries) {
        long nanos = execution.getElapsedTime();
        localTimer.record(nanos, TimeUnit.NANOSECONDS);
        for (Timer t : boundTimers) {
            t.record(nanos, TimeUnit.NANOSECONDS);
        }
        if (!execution.isSuccess()) {
            localErrors.increment();
            for (Counter c : boundErrors) {
                c.increment();
            }
        }
        if (nanos >= slowNanos) {
            ring.add(new SlowQuery(describe(queries), Duration.ofNanos(nanos), Instant.now(), CorrelationId.current(),
                    execution.isSuccess()));
        }
    }

    private static String describe(List<QueryInfo> queries) {
        if (queries.isEmpty()) {
            return "";
        }
        String first = SqlNormalizer.normalize(queries.get(0).getQuery());
        return queries.size() == 1 ? first : first + " (+" + (queries.size() - 1) + " more in batch)";
    }

    /** Times every execution; slow ones (only) pay for normalization. */
    private final class Listener implements QueryExecutionListener {
        @Override
        public void beforeQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
        }

        @Override
        public void afterQuery(ExecutionInfo execInfo, List<QueryInfo> queryInfoList) {
            record(execInfo, queryInfoList);
        }
    }

    /** Validating builder of a {@link QueryMonitor}. */
    public static final class Builder {
        private String name = DEFAULT_NAME;
        private String dataSourceName = "default";
        private Duration slowThreshold = DEFAULT_SLOW_THRESHOLD;
        private int capacity = DEFAULT_CAPACITY;
        private Duration warnP95 = DEFAULT_WARN_P95;
        private Duration failP95;
        private Duration window = DEFAULT_WINDOW;
        private int minStatements = DEFAULT_MIN_STATEMENTS;
        private LongSupplier nanoClock = System::nanoTime;
        private boolean commentCorrelationId;

        private Builder() {
        }

        /** The check name; default {@value QueryMonitor#DEFAULT_NAME}. */
        public Builder name(String value) {
            this.name = Require.name("name", value, "orders-db:responseTime");
            return this;
        }

        /** The {@code datasource} tag of the meters (a short, fixed name); default {@code default}. */
        public Builder dataSourceName(String value) {
            if (value == null || !value.matches("[A-Za-z0-9._\\-]{1,64}")) {
                throw new IllegalArgumentException("dataSourceName must be 1-64 letters, digits, '.', '_', '-', but was '"
                        + value + "': use e.g. 'orders'");
            }
            this.dataSourceName = value;
            return this;
        }

        /** Statements taking at least this long are kept as slow; default 50 ms. */
        public Builder slowThreshold(Duration value) {
            this.slowThreshold = Require.positive("slowThreshold", value, "Duration.ofMillis(50)");
            return this;
        }

        /** How many slow statements are kept, 1 to 10,000; default 100. */
        public Builder capacity(int value) {
            if (value < 1 || value > 10_000) {
                throw new IllegalArgumentException("capacity must be between 1 and 10000, but was " + value + ": use e.g. 100");
            }
            this.capacity = value;
            return this;
        }

        /** The p95 above which the check WARNs; default 50 ms. */
        public Builder warnAboveP95(Duration value) {
            this.warnP95 = Require.positive("warnAboveP95", value, "Duration.ofMillis(50)");
            return this;
        }

        /** The p95 above which the check FAILs; default none (the check WARNs at worst). */
        public Builder failAboveP95(Duration value) {
            this.failP95 = Require.positive("failAboveP95", value, "Duration.ofMillis(500)");
            return this;
        }

        /** The sliding window of the percentiles; default 1 minute. */
        public Builder window(Duration value) {
            this.window = Require.positive("window", value, "Duration.ofMinutes(1)");
            return this;
        }

        /**
         * Statements that must have run in the window before the p95 is judged, 1 to 1,000,000;
         * default {@value QueryMonitor#DEFAULT_MIN_STATEMENTS}. Below it the check passes, saying
         * "not judged" with the count in its details.
         */
        public Builder minStatements(int value) {
            if (value < 1 || value > 1_000_000) {
                throw new IllegalArgumentException("minStatements must be between 1 and 1000000, but was " + value
                        + ": use e.g. 20 so that a handful of statements is not judged");
            }
            this.minStatements = value;
            return this;
        }

        /** For tests: the monotonic clock of the statement count's window. */
        Builder nanoClock(LongSupplier value) {
            this.nanoClock = Require.notNull("nanoClock", value);
            return this;
        }

        /** Prefix statements with <code>/*correlation_id='…'*&#47;</code>; default off. */
        public Builder commentCorrelationId(boolean value) {
            this.commentCorrelationId = value;
            return this;
        }

        /** Builds the monitor. */
        public QueryMonitor build() {
            if (failP95 != null && failP95.compareTo(warnP95) < 0) {
                throw new IllegalArgumentException("failAboveP95 must not be below warnAboveP95, but was " + failP95 + " < "
                        + warnP95 + ": use e.g. warnAboveP95(Duration.ofMillis(50)).failAboveP95(Duration.ofMillis(500))");
            }
            return new QueryMonitor(this);
        }
    }
}
