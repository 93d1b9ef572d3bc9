package io.opskit.jdbc;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opskit.core.AttachContext;
import io.opskit.core.CheckRegistration;
import io.opskit.core.OpsComponent;
import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import io.opskit.core.correlation.CorrelationId;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ConnectionIdManager;

/**
 * Connection-leak tracking ("identify connection leaks"): a DataSource wrapper, built on
 * datasource-proxy, that records when, where (stack trace), by which thread and for which
 * correlation ID every connection was borrowed, and forgets it when the connection is closed.
 * Connections held longer than the threshold are {@linkplain #leakSuspects() leak suspects}.
 *
 * <pre>{@code
 * LeakTracker leaks = LeakTracker.builder().threshold(Duration.ofSeconds(30)).build();
 * DataSource dataSource = leaks.wrap(hikariDataSource);   // hand this one to the application
 * ops.attach(leaks);    // db:connectionLeaks, opskit.db.connections.*, /ops/leaks
 * leaks.leakSuspects().forEach(s -> log.warn(s.describe()));
 * }</pre>
 *
 * <p>Cost per borrow: a map insert and, with stack capture on (the default), one
 * {@code Throwable} whose frames are only resolved when a suspect is listed.
 */
public final class LeakTracker implements OpsComponent, MeterBinder {

    /** Default time after which a borrowed connection is a leak suspect: 30 seconds. */
    public static final Duration DEFAULT_THRESHOLD = Duration.ofSeconds(30);
    /** Name of the leak check. */
    public static final String DEFAULT_CHECK_NAME = "db:connectionLeaks";
    /** Default number of stack frames kept per suspect. */
    public static final int DEFAULT_MAX_STACK_DEPTH = 20;

    private static final String[] HIDDEN_FRAMES = {LeakTracker.class.getName() + "$", "net.ttddyy.dsproxy.", "jdk.proxy", "com.sun.proxy.",
        "java.lang.reflect.", "jdk.internal.reflect.", "java.lang.Thread.getStackTrace"};

    private final String name;
    private final Duration threshold;
    private final long thresholdNanos;
    private final boolean captureStacks;
    private final int maxStackDepth;
    private final ConcurrentHashMap<String, Borrow> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final List<Counter> leakedCounters = new CopyOnWriteArrayList<>();

    private LeakTracker(Builder b) {
        this.name = b.name;
        this.threshold = b.threshold;
        this.thresholdNanos = b.threshold.toNanos();
        this.captureStacks = b.captureStacks;
        this.maxStackDepth = b.maxStackDepth;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A tracker with the defaults. */
    public static LeakTracker create() {
        return builder().build();
    }

    /**
     * Wraps {@code dataSource} so that its connections are tracked. Wrap once and hand the
     * wrapper to the application; to also time statements use
     * {@link JdbcOps#instrument(DataSource, LeakTracker, QueryMonitor)}.
     */
    public DataSource wrap(DataSource dataSource) {
        return Proxies.wrap(Require.notNull("dataSource", dataSource), null, this);
    }

    /** Connections held at least the threshold, longest held first. */
    public List<LeakSuspect> leakSuspects() {
        return list(thresholdNanos);
    }

    /** Every connection borrowed and not yet returned, longest held first. */
    public List<LeakSuspect> openConnections() {
        return list(Long.MIN_VALUE);
    }

    /** How many connections are borrowed now. */
    public int openCount() {
        return open.size();
    }

    /** The leak threshold. */
    public Duration threshold() {
        return threshold;
    }

    /**
     * Registers {@code opskit.db.connections.open} and {@code opskit.db.connections.leak.suspects}
     * gauges and the {@code opskit.db.connections.leaked} counter (connections returned only after
     * being held past the threshold).
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("opskit.db.connections.open", open, ConcurrentHashMap::size)
                .description("Connections borrowed through the leak tracker and not yet returned").baseUnit("connections")
                .register(registry);
        Gauge.builder("opskit.db.connections.leak.suspects", this, t -> t.countSuspects())
                .description("Connections held longer than the leak threshold").baseUnit("connections").register(registry);
        leakedCounters.add(Counter.builder("opskit.db.connections.leaked")
                .description("Connections returned only after being held longer than the leak threshold")
                .baseUnit("connections").register(registry));
    }

    /**
     * A check that WARNs while connections are held past the threshold, naming them (with their
     * borrowing stacks) in details; PASS otherwise.
     */
    public HealthCheck check() {
        return () -> {
            List<LeakSuspect> suspects = leakSuspects();
            Result r = suspects.isEmpty() ? Result.pass()
                    : Result.warn(suspects.size() + " connection(s) held longer than " + threshold + "; longest: "
                            + suspects.get(0).describe());
            return r.withObservedValue(suspects.size(), "connections").withDetail("open", openCount())
                    .withDetail("leakSuspects", suspects.stream().limit(10).map(s -> s.asMap(8))
                            .collect(Collectors.toList()));
        };
    }

    /** A registration builder preset for {@link #check()}: {@value #DEFAULT_CHECK_NAME} unless renamed, datastore, non-critical. */
    public CheckRegistration.Builder registrationBuilder() {
        return CheckRegistration.builder(name, check()).componentType("datastore").critical(false);
    }

    /** A ready registration of {@link #check()}. */
    public CheckRegistration registration() {
        return registrationBuilder().build();
    }

    /**
     * Registers {@link #registration()}, binds the meters ({@link #bindTo}) and contributes
     * {@code /ops/leaks} (unless another tracker serves it already).
     */
    @Override
    public void attachTo(AttachContext context) {
        context.check(registration());
        context.meters(this);
        JdbcEndpoints.contribute(context, JdbcEndpoints.leaks(this));
    }

    @Override
    public String toString() {
        return "LeakTracker{" + name + ", threshold=" + threshold + '}';
    }

    ConnectionIdManager idManager() {
        return new IdManager();
    }

    private long countSuspects() {
        long now = System.nanoTime();
        return open.values().stream().filter(b -> now - b.nanos >= thresholdNanos).count();
    }

    private List<LeakSuspect> list(long minNanos) {
        long now = System.nanoTime();
        List<Borrow> borrows = new ArrayList<>();
        for (Borrow b : open.values()) {
            if (minNanos == Long.MIN_VALUE || now - b.nanos >= minNanos) {
                borrows.add(b);
            }
        }
        borrows.sort(Comparator.comparingLong(b -> b.nanos));
        List<LeakSuspect> out = new ArrayList<>(borrows.size());
        for (Borrow b : borrows) {
            out.add(new LeakSuspect(b.id, Instant.ofEpochMilli(b.epochMillis), Duration.ofNanos(now - b.nanos), b.threadName,
                    b.threadId, Optional.ofNullable(b.correlationId), frames(b.stack)));
        }
        return out;
    }

    private List<String> frames(Throwable stack) {
        if (stack == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        boolean inApplication = false;
        for (StackTraceElement e : stack.getStackTrace()) {
            if (!inApplication && hidden(e.getClassName())) {
                continue;
            }
            inApplication = true;
            out.add(e.toString());
            if (out.size() >= maxStackDepth) {
                break;
            }
        }
        return out;
    }

    private static boolean hidden(String className) {
        if (className.equals(LeakTracker.class.getName())) {
            return true;
        }
        for (String prefix : HIDDEN_FRAMES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return className.contains("$Proxy");
    }

    private void borrowed(String id) {
        Thread t = Thread.currentThread();
        open.put(id, new Borrow(id, System.nanoTime(), System.currentTimeMillis(), t.getName(), t.getId(),
                CorrelationId.current().orElse(null), captureStacks ? new Throwable("borrowed here") : null));
    }

    private void returned(String id) {
        Borrow b = open.remove(id);
        if (b != null && System.nanoTime() - b.nanos >= thresholdNanos) {
            for (Counter c : leakedCounters) {
                c.increment();
            }
        }
    }

    /** Borrow and close hooks: datasource-proxy asks for an id on every borrow and reports every close. */
    private final class IdManager implements ConnectionIdManager {
        @Override
        public String getId(Connection connection) {
            String id = Long.toString(ids.incrementAndGet());
            borrowed(id);
            return id;
        }

        @Override
        public void addClosedId(String closedId) {
            returned(closedId);
        }

        @Override
        public Set<String> getOpenConnectionIds() {
            return new HashSet<>(open.keySet());
        }
    }

    private static final class Borrow {
        final String id;
        final long nanos;
        final long epochMillis;
        final String threadName;
        final long threadId;
        final String correlationId;
        final Throwable stack;

        Borrow(String id, long nanos, long epochMillis, String threadName, long threadId, String correlationId, Throwable stack) {
            this.id = id;
            this.nanos = nanos;
            this.epochMillis = epochMillis;
            this.threadName = threadName;
            this.threadId = threadId;
            this.correlationId = correlationId;
            this.stack = stack;
        }
    }

    /** Validating builder of a {@link LeakTracker}. */
    public static final class Builder {
        private String name = DEFAULT_CHECK_NAME;
        private Duration threshold = DEFAULT_THRESHOLD;
        private boolean captureStacks = true;
        private int maxStackDepth = DEFAULT_MAX_STACK_DEPTH;

        private Builder() {
        }

        /** The check name; default {@value LeakTracker#DEFAULT_CHECK_NAME}. */
        public Builder name(String value) {
            this.name = Require.name("name", value, "orders-db:connectionLeaks");
            return this;
        }

        /** How long a connection may be held before it is a leak suspect; default 30 s. */
        public Builder threshold(Duration value) {
            this.threshold = Require.positive("threshold", value, "Duration.ofSeconds(30)");
            return this;
        }

        /** Whether the borrowing stack is captured (default true; off saves the {@code Throwable} per borrow). */
        public Builder captureStackTraces(boolean value) {
            this.captureStacks = value;
            return this;
        }

        /** How many stack frames a suspect keeps, 1 to 1000; default 20. */
        public Builder maxStackDepth(int value) {
            if (value < 1 || value > 1000) {
                throw new IllegalArgumentException("maxStackDepth must be between 1 and 1000, but was " + value
                        + ": use e.g. 20");
            }
            this.maxStackDepth = value;
            return this;
        }

        /** Builds the tracker. */
        public LeakTracker build() {
            return new LeakTracker(this);
        }
    }
}
