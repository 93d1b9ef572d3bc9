package io.opskit.core;

import io.opskit.core.internal.EventHub;
import io.opskit.core.internal.HealthEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The facade of opskit: a health engine with its checks, lifecycle, events and metrics.
 *
 * <pre>{@code
 * Ops ops = Ops.builder()
 *         .serviceId("orders").version("1.4.2")
 *         .check("postgres:responseTime", () -> Result.pass())
 *         .build()
 *         .start();
 * HealthSnapshot ready = ops.health(Probe.READINESS);   // never runs a check, never blocks
 * }</pre>
 *
 * <p>Checks run in the background on threads the engine owns; reading health returns the latest
 * immutable snapshot. {@link #close()} interrupts running checks and joins every thread.
 *
 * <p>Two ways in, one for each kind of thing: a single check is {@linkplain #register(CheckRegistration)
 * registered}; a part that brings its checks with meters, endpoints or listeners (an
 * {@link OpsComponent}: a leak tracker, a pool watchdog, Redis health, an HTTP dependency, breakers,
 * maintenance mode, a sink) is {@linkplain #attach(OpsComponent...) attached}, which returns the
 * {@link Attachment} that detaches it again.
 */
public final class Ops implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Ops.class);

    /** Default number of worker threads: 8. */
    public static final int DEFAULT_THREADS = 8;
    /** Largest number of worker threads accepted. */
    public static final int MAX_THREADS = 256;
    /** Default size of the event history: 200. */
    public static final int DEFAULT_HISTORY_SIZE = 200;
    /** Default number of extra threads for runs past their deadline that ignore interruption: 16. */
    public static final int DEFAULT_STUCK_THREADS = 16;
    /** Default number of events a listener may have waiting before the oldest are dropped: 1024. */
    public static final int DEFAULT_EVENT_QUEUE_SIZE = EventHub.DEFAULT_QUEUE_SIZE;
    /** Default drain delay of the shutdown hook: 5 seconds. */
    public static final Duration DEFAULT_DRAIN = Duration.ofSeconds(5);

    private final HealthEngine engine;
    private final EventHub events;
    private final MeterRegistry meterRegistry;
    private final ServiceInfo serviceInfo;
    private final HealthMetrics metrics;
    private final JvmMetrics jvmMetrics = JvmMetrics.create(); // JVM/process binders; see Builder.bindJvmMetrics
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final io.opskit.core.endpoint.OpsEndpoints endpoints = new io.opskit.core.endpoint.OpsEndpoints();
    private final MeterCapture meterCapture;
    /** Attachments not yet detached, in order; and the components they hold, by identity. Guarded by itself. */
    private final List<Attachment> attachments = new ArrayList<>();
    private volatile boolean closed;

    private Ops(Builder b) {
        this.events = new EventHub(b.historySize, b.eventQueueSize);
        this.engine = new HealthEngine(b.threads, b.stuckThreads, b.clock, b.ticker, events, b.autoReady, true);
        this.meterRegistry = b.meterRegistry == null ? new SimpleMeterRegistry() : b.meterRegistry;
        this.meterCapture = new MeterCapture(meterRegistry);
        this.serviceInfo = new ServiceInfo(b.serviceId, b.version, b.releaseId, b.description);
        engine.register(b.checks);
        this.metrics = new HealthMetrics(this);
        if (b.bindMetrics) {
            metrics.bindTo(meterRegistry);
        }
        if (b.bindJvmMetrics) {
            jvmMetrics.bindTo(meterRegistry);
        }
    }

    /** Starts building an {@code Ops}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts the engine: every check runs after its initial delay, then on its interval. Returns this. */
    public Ops start() {
        engine.start();
        return this;
    }

    /**
     * Attaches components: each registers its checks, binds its meters to {@link #meterRegistry()},
     * contributes its endpoints to {@link #endpoints()} and wires its listeners. This is the one way
     * to put opskit's parts to work (leak tracker, query monitor, pool watchdog, reaper, database and
     * Redis checks, HTTP dependencies, breakers, maintenance mode, sinks):
     *
     * <pre>{@code
     * Attachment db = ops.attach(DatabaseChecks.postgres(dataSource), leaks, queries, watchdog);
     * ...
     * db.close();   // unregisters their checks, removes their endpoints and meters
     * }</pre>
     *
     * <p>All or nothing: when one component fails to attach, what the others did is undone and the
     * failure is rethrown. Attaching starts nothing (start a watchdog or reaper yourself) and detaching
     * stops nothing; {@link #close()} detaches what is still attached. For a single check use
     * {@link #register(CheckRegistration)}.
     *
     * @return the attachment, whose {@link Attachment#close()} detaches the components again
     * @throws IllegalStateException when this Ops is closed, or a component is attached to it already
     *                               (a component binds its meters once; close its attachment first)
     * @throws IllegalArgumentException when a check name or endpoint path is taken
     */
    public Attachment attach(OpsComponent... components) {
        Objects.requireNonNull(components, "components");
        List<OpsComponent> list = new ArrayList<>(components.length);
        for (OpsComponent c : components) {
            list.add(Objects.requireNonNull(c, "components must not contain null"));
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("attach needs at least one component, e.g. ops.attach(leakTracker)");
        }
        Attachment attachment = new Attachment(this, list);
        synchronized (attachments) {
            if (closed) {
                throw new IllegalStateException("cannot attach " + list + ": this Ops is closed; build a new Ops");
            }
            java.util.Set<OpsComponent> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Attachment a : attachments) {
                seen.addAll(a.components());
            }
            for (OpsComponent c : list) {
                if (!seen.add(c)) {
                    throw new IllegalStateException(c + " is already attached to this Ops: its checks and meters are"
                            + " there once; close its Attachment before attaching it again");
                }
            }
            attachments.add(attachment);
        }
        try {
            attachment.attach();
        } catch (RuntimeException | Error e) {
            detached(attachment);
            throw e;
        }
        return attachment;
    }

    /** The attachments not yet detached, in the order made. */
    public List<Attachment> attachments() {
        synchronized (attachments) {
            return List.copyOf(attachments);
        }
    }

    void detached(Attachment attachment) {
        synchronized (attachments) {
            attachments.remove(attachment);
        }
    }

    MeterCapture meterCapture() {
        return meterCapture;
    }

    /**
     * Registers a single check at any time; a duplicate name is rejected. A part that brings checks,
     * meters or endpoints of its own is an {@link OpsComponent}: {@link #attach(OpsComponent...)} it.
     */
    public void register(CheckRegistration registration) {
        engine.register(List.of(Objects.requireNonNull(registration, "registration")));
    }

    /** Registers a check with default settings (readiness, critical, 2 s timeout, 10 s interval). */
    public void register(String name, HealthCheck check) {
        register(CheckRegistration.builder(name, check).build());
    }

    /** Removes a check; returns whether it was registered. */
    public boolean unregister(String name) {
        return engine.unregister(name);
    }

    /** The registered checks (without opskit's synthetic lifecycle and engine checks). */
    public List<CheckRegistration> registrations() {
        return engine.registrations();
    }

    /** The latest snapshot of every check. Never runs a check, never blocks on a dependency. */
    public HealthSnapshot health() {
        return engine.snapshot();
    }

    /** The latest snapshot of one probe. Never runs a check, never blocks on a dependency. */
    public HealthSnapshot health(Probe probe) {
        return engine.snapshot(Objects.requireNonNull(probe, "probe"));
    }

    /** The latest state of one check, if registered (also opskit's own {@code lifecycle:state} and {@code opskit:engine}). */
    public Optional<CheckState> check(String name) {
        return engine.check(name);
    }

    /**
     * Runs one check now. Single-flight: concurrent callers share one execution, and a check
     * still in flight is not started again. Completes at the latest at the check's deadline.
     */
    public CompletableFuture<CheckState> refresh(String name) {
        return engine.refresh(name);
    }

    /** Runs every check now (single-flight per check); completes with the overall snapshot. */
    public CompletableFuture<HealthSnapshot> refreshAll() {
        return engine.refreshAll();
    }

    /** The lifecycle state. */
    public Lifecycle lifecycle() {
        return engine.lifecycle();
    }

    /**
     * Marks the application ready for traffic (done automatically once the startup probe passes,
     * unless disabled). The lifecycle only moves forward: once draining or stopped, this does
     * nothing and returns false.
     */
    public boolean markReady() {
        return engine.lifecycle(Lifecycle.READY);
    }

    /**
     * Graceful shutdown: readiness turns FAIL at once (DRAINING), the application keeps serving
     * for {@code delay} so load balancers notice, then the engine stops (STOPPED). Blocks the
     * caller for the delay; call it from the shutdown path.
     */
    public void drain(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("drain delay must be zero or positive, but was " + delay
                    + ": use e.g. Duration.ofSeconds(5)");
        }
        engine.lifecycle(Lifecycle.DRAINING);
        LOG.info("draining for {} ms before stopping", delay.toMillis());
        try {
            stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /**
     * Installs a JVM shutdown hook that drains for {@code delay} and then closes {@code thenClose}
     * (e.g. the HTTP server) in order.
     *
     * @return the hook thread, so it can be removed with {@link Runtime#removeShutdownHook(Thread)}
     */
    public Thread installShutdownHook(Duration delay, AutoCloseable... thenClose) {
        Objects.requireNonNull(delay, "delay");
        List<AutoCloseable> after = List.of(thenClose);
        Thread hook = new Thread(() -> {
            drain(delay);
            for (AutoCloseable c : after) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing {} on shutdown failed: {}", c, Result.describe(e));
                }
            }
        }, "opskit-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /**
     * The scheduler for background jobs (reapers, watchdogs, polling): timed by the engine, run
     * on a small lane of job threads, stopped by {@link #close()}.
     */
    public OpsScheduler scheduler() {
        return engine.scheduler();
    }

    /** The event stream: listeners, actions, history. */
    public OpsEvents events() {
        return events;
    }

    /**
     * The endpoints modules contributed to the operations surface (ops-jdbc's slow queries, leaks
     * and pool; ops-redis's maintenance store), served by every adapter next to the built-in ones.
     */
    public io.opskit.core.endpoint.OpsEndpoints endpoints() {
        return endpoints;
    }

    /** The meter registry health metrics are bound to (and adapters record into). */
    public MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    /** The service information of the health document. */
    public ServiceInfo serviceInfo() {
        return serviceInfo;
    }

    /** Milliseconds since this instance was built. */
    public long uptimeMillis() {
        return engine.uptimeMillis();
    }

    /** Threads the engine owns right now (scheduler and workers); for diagnostics and tests. */
    public int engineThreads() {
        return engine.threadCount();
    }

    /** Events dropped so far because a listener did not keep up with its queue. */
    public long droppedEvents() {
        return events.droppedCount();
    }

    /** The bound on worker threads. */
    public int maxWorkerThreads() {
        return engine.maxThreads();
    }

    /** The engine, for opskit's own adapters. */
    HealthEngine engine() {
        return engine;
    }

    /**
     * Stops the engine: interrupts running checks and joins the engine's threads, then detaches every
     * attachment still attached, newest first (their listeners, endpoints and meters go; the components
     * themselves are not closed). Idempotent.
     */
    @Override
    public void close() {
        stopped.countDown();
        List<Attachment> live;
        synchronized (attachments) {
            closed = true;
            live = new ArrayList<>(attachments);
        }
        engine.close();
        for (int i = live.size() - 1; i >= 0; i--) {
            live.get(i).close();
        }
        metrics.close();
        jvmMetrics.close();
        events.close();
    }

    /** A validating builder of {@link Ops}. */
    public static final class Builder {
        private final List<CheckRegistration> checks = new ArrayList<>();
        private final java.util.Set<String> names = new java.util.HashSet<>();
        private int threads = DEFAULT_THREADS;
        private int stuckThreads = DEFAULT_STUCK_THREADS;
        private int historySize = DEFAULT_HISTORY_SIZE;
        private int eventQueueSize = DEFAULT_EVENT_QUEUE_SIZE;
        private Ticker ticker = Ticker.SYSTEM;
        private MeterRegistry meterRegistry;
        private boolean bindMetrics = true;
        private boolean bindJvmMetrics = true;
        private boolean autoReady = true;
        private Clock clock = Clock.systemUTC();
        private String serviceId = "";
        private String version = "";
        private String releaseId = "";
        private String description = "";

        private Builder() {
        }

        /** Adds a check. */
        public Builder check(CheckRegistration registration) {
            Objects.requireNonNull(registration, "registration");
            if (!names.add(registration.name())) {
                throw new IllegalArgumentException("a check named '" + registration.name() + "' is already registered: "
                        + "names must be unique, choose another 'component:measurement'");
            }
            checks.add(registration);
            return this;
        }

        /** Adds a check with default settings (readiness, critical, 2 s timeout, 10 s interval). */
        public Builder check(String name, HealthCheck check) {
            return check(CheckRegistration.builder(name, check).build());
        }

        /** Worker threads that run checks, 1 to {@value Ops#MAX_THREADS}; default {@value Ops#DEFAULT_THREADS}. */
        public Builder threads(int value) {
            if (value < 1 || value > MAX_THREADS) {
                throw new IllegalArgumentException("threads must be between 1 and " + MAX_THREADS + ", but was " + value
                        + ": checks run in parallel on this many workers; use e.g. 8");
            }
            this.threads = value;
            return this;
        }

        /**
         * Extra threads, 0 to 1024, for runs past their deadline whose check ignores interruption
         * (a socket read without a timeout): such a run keeps its thread, but no longer counts
         * against {@link #threads(int)}, so it starves no other check. When this many are stuck,
         * further runs wait and a WARN says so. Default {@value Ops#DEFAULT_STUCK_THREADS}.
         */
        public Builder stuckThreads(int value) {
            if (value < 0 || value > 1024) {
                throw new IllegalArgumentException("stuckThreads must be between 0 and 1024, but was " + value
                        + ": it bounds the threads left to checks that ignore interruption; use e.g. 16");
            }
            this.stuckThreads = value;
            return this;
        }

        /**
         * Events each listener may have waiting, 1 to 1000000, before the oldest are dropped (and
         * counted in {@code opskit.events.dropped}); default {@value Ops#DEFAULT_EVENT_QUEUE_SIZE}.
         */
        public Builder eventQueueSize(int value) {
            if (value < 1 || value > 1_000_000) {
                throw new IllegalArgumentException("eventQueueSize must be between 1 and 1000000, but was " + value
                        + ": use e.g. 1024");
            }
            this.eventQueueSize = value;
            return this;
        }

        /**
         * The monotonic time of ages, deadlines, staleness and the heartbeat (default
         * {@link Ticker#SYSTEM}); tests may pass their own.
         */
        public Builder ticker(Ticker value) {
            this.ticker = Objects.requireNonNull(value, "ticker");
            return this;
        }

        /** Events kept in the history, 0 to 100000; default {@value Ops#DEFAULT_HISTORY_SIZE}. */
        public Builder historySize(int value) {
            if (value < 0 || value > 100_000) {
                throw new IllegalArgumentException("historySize must be between 0 and 100000, but was " + value
                        + ": use e.g. 200");
            }
            this.historySize = value;
            return this;
        }

        /** The meter registry to bind health metrics to (default: a private SimpleMeterRegistry). */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** Whether to bind {@link HealthMetrics} to the meter registry (default true). */
        public Builder bindHealthMetrics(boolean value) {
            this.bindMetrics = value;
            return this;
        }

        /**
         * Whether to bind Micrometer's JVM and process binders ({@link JvmMetrics}: memory, GC,
         * threads, classes, CPU, uptime, open files) to the meter registry (default true). Turn it
         * off when your framework binds them already; each is bound at most once either way.
         */
        public Builder bindJvmMetrics(boolean value) {
            this.bindJvmMetrics = value;
            return this;
        }

        /** Whether the lifecycle turns READY by itself once the startup probe passes (default true). */
        public Builder autoReady(boolean value) {
            this.autoReady = value;
            return this;
        }

        /** The clock of timestamps (default UTC system clock); ages and staleness use the {@link #ticker(Ticker)}. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The top-level {@code serviceId}. */
        public Builder serviceId(String value) {
            this.serviceId = Objects.requireNonNull(value, "serviceId");
            return this;
        }

        /** The top-level {@code version}. */
        public Builder version(String value) {
            this.version = Objects.requireNonNull(value, "version");
            return this;
        }

        /** The top-level {@code releaseId}. */
        public Builder releaseId(String value) {
            this.releaseId = Objects.requireNonNull(value, "releaseId");
            return this;
        }

        /** The top-level {@code description}. */
        public Builder description(String value) {
            this.description = Objects.requireNonNull(value, "description");
            return this;
        }

        /** Builds the instance; call {@link Ops#start()} to run checks. */
        public Ops build() {
            return new Ops(this);
        }
    }
}
