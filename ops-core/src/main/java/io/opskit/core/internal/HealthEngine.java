package io.opskit.core.internal;

import io.opskit.core.CheckRegistration;
import io.opskit.core.CheckState;
import io.opskit.core.HealthSnapshot;
import io.opskit.core.Lifecycle;
import io.opskit.core.OpsScheduler;
import io.opskit.core.Probe;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.opskit.core.StatusChangeEvent;
import io.opskit.core.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: keeps the registered checks, runs them through a {@link CheckScheduler}, and
 * publishes immutable snapshots that readers take with one volatile read. Reading health never
 * runs a check, never waits on a dependency and never dispatches anything.
 *
 * <p>Publication is coalesced: a result that changes a status (or that a caller of
 * {@link #refresh} waits for) is published within {@value #URGENT_SPACING_MILLIS} ms; a result
 * that only refreshes a value and a time waits for the next publication, at most
 * {@value #LAZY_MILLIS} ms. So the cost follows the results, not results × checks. Staleness and
 * the engine's heartbeat are judged once a second on the monotonic {@link Ticker}.
 *
 * <p>Threads: one timer thread (ticks, deadlines, publication, heartbeat; it never blocks) and
 * the checks' {@link Workers} lane. Structure (register, start, unregister, close) is serialised
 * by one lock that is never held while a check runs or a listener is called.
 */
public final class HealthEngine implements AutoCloseable {

    /** Synthetic readiness check that reports the lifecycle. */
    public static final String LIFECYCLE_CHECK = "lifecycle:state";
    /** Synthetic liveness check that reports the engine's own heartbeat. */
    public static final String ENGINE_CHECK = "opskit:engine";

    static final long URGENT_SPACING_MILLIS = 10;
    static final long LAZY_MILLIS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(HealthEngine.class);
    private static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long HEARTBEAT_STALE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int JOB_THREADS = 4;
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int CLOSED = 2;

    /** Receives the duration and raw status of every real run (metrics). */
    @FunctionalInterface
    public interface CheckTimingListener {
        /** Called after a run finishes or times out; never for a run that did not happen. */
        void onRun(String check, Duration took, Status raw);
    }

    /** Hears about registrations and removals, in order, while the structure lock is held: keep it quick. */
    public interface RegistrationListener {
        /** A check was registered. */
        void added(CheckRegistration registration);

        /** A check was removed. */
        void removed(CheckRegistration registration);
    }

    private final Clock clock;
    private final Ticker ticker;
    private final EventHub events;
    private final boolean autoReady;
    private final boolean syntheticChecks;
    private final ScheduledThreadPoolExecutor timer;
    private final Workers lane;
    private final Workers jobLane;
    private final CheckScheduler runs;
    private final JobScheduler jobs;
    private final LifecycleState lifecycle = new LifecycleState();
    private final ReentrantLock structure = new ReentrantLock();
    private final ConcurrentSkipListMap<String, CheckRunner> runners = new ConcurrentSkipListMap<>();
    private final List<RegistrationListener> registrationListeners = new CopyOnWriteArrayList<>();
    private final List<CheckTimingListener> timingListeners = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<StatusChangeEvent> pendingEvents = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean urgentScheduled = new AtomicBoolean();
    private final AtomicBoolean lazyScheduled = new AtomicBoolean();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicLong versions = new AtomicLong();
    private final Object publishLock = new Object();
    private final long createdNanos;

    private volatile int state = NEW;
    private volatile SnapshotBuilder.Snapshots snapshots;
    private volatile long heartbeatNanos;
    private volatile long lastPublishNanos;
    private volatile long engineSuspectSince;     // a reader saw the heartbeat late; 0 when not
    private volatile Late late;                   // the views a reader derived while the heartbeat is late
    private long previousBeatNanos;               // timer thread only

    /**
     * Creates an engine; nothing runs before {@link #start()}.
     *
     * @param threads         runs that may hold a worker at once
     * @param stuckThreads    extra threads for runs past their deadline that ignore interruption
     */
    public HealthEngine(int threads, int stuckThreads, Clock clock, Ticker ticker, EventHub events, boolean autoReady,
                        boolean syntheticChecks) {
        this.clock = clock;
        this.ticker = ticker;
        this.events = events;
        this.autoReady = autoReady;
        this.syntheticChecks = syntheticChecks;
        this.createdNanos = ticker.nanoTime();
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "opskit-scheduler");
            t.setDaemon(true);
            return t;
        });
        this.timer.setRemoveOnCancelPolicy(true);
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
        this.lane = new Workers("check", threads, threads + stuckThreads, 30, TimeUnit.SECONDS);
        this.runs = new CheckScheduler(timer, lane, ticker, this::record);
        // background jobs block on I/O by nature: their own lane, so they never take a check's worker
        this.jobLane = new Workers("job", JOB_THREADS, JOB_THREADS, 30, TimeUnit.SECONDS);
        this.jobs = new JobScheduler(timer, jobLane);
        publish(false);
    }

    // ---------------------------------------------------------------- registration

    /** Registers checks; rejects a duplicate or reserved name (then none of them is registered). */
    public void register(List<CheckRegistration> registrations) {
        List<CheckRunner> added = new ArrayList<>(registrations.size());
        Set<String> batch = new HashSet<>();
        structure.lock();
        try {
            if (state == CLOSED) {
                throw new IllegalStateException("cannot register checks: the engine is closed; build a new Ops");
            }
            for (CheckRegistration reg : registrations) {
                String name = reg.name();
                if (syntheticChecks && (name.equals(LIFECYCLE_CHECK) || name.equals(ENGINE_CHECK))) {
                    throw new IllegalArgumentException("name '" + name + "' is reserved by opskit: choose another name");
                }
                if (runners.containsKey(name) || !batch.add(name)) {
                    throw new IllegalArgumentException("a check named '" + name + "' is already registered: "
                            + "names must be unique, choose another 'component:measurement'");
                }
                added.add(new CheckRunner(reg, clock.instant()));
            }
            for (CheckRunner r : added) {
                runners.put(r.name, r);
                for (RegistrationListener l : registrationListeners) {
                    l.added(r.registration);
                }
                if (state == RUNNING) {
                    r.arm(ticker.nanoTime());
                    runs.schedule(r);
                }
            }
        } finally {
            structure.unlock();
        }
        changed();
    }

    /** Removes a check; returns whether it was registered. Its run in flight is dropped or interrupted. */
    public boolean unregister(String name) {
        structure.lock();
        try {
            CheckRunner r = runners.remove(name);
            if (r == null) {
                return false;
            }
            r.remove();
            runs.cancel(r);
            for (RegistrationListener l : registrationListeners) {
                l.removed(r.registration);
            }
        } finally {
            structure.unlock();
        }
        changed();
        return true;
    }

    /** The registrations, sorted by name. */
    public List<CheckRegistration> registrations() {
        List<CheckRegistration> out = new ArrayList<>(runners.size());
        for (CheckRunner r : runners.values()) {
            out.add(r.registration);
        }
        return out;
    }

    /** Checks that exist: the registered names, sorted. */
    public Collection<String> names() {
        return runners.keySet();
    }

    /** Listens to registrations and removals; existing checks are replayed at once. Close the handle to stop. */
    public AutoCloseable onRegistration(RegistrationListener listener) {
        structure.lock();
        try {
            registrationListeners.add(listener);
            for (CheckRunner r : runners.values()) {
                listener.added(r.registration);
            }
        } finally {
            structure.unlock();
        }
        return () -> registrationListeners.remove(listener);
    }

    /** Listens to the timing of every real run. Close the handle to stop. */
    public AutoCloseable onTiming(CheckTimingListener listener) {
        timingListeners.add(listener);
        return () -> timingListeners.remove(listener);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Starts ticking: every check runs after its initial delay, then on its interval. Idempotent. */
    public void start() {
        structure.lock();
        try {
            if (state == CLOSED) {
                throw new IllegalStateException("the engine is closed; build a new Ops");
            }
            if (state == RUNNING) {
                return;
            }
            long now = ticker.nanoTime();
            heartbeatNanos = now;
            previousBeatNanos = now;
            state = RUNNING;
            for (CheckRunner r : runners.values()) {
                r.arm(now);
                runs.schedule(r);
            }
            timer.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_NANOS, HEARTBEAT_NANOS, TimeUnit.NANOSECONDS);
        } finally {
            structure.unlock();
        }
        changed();
    }

    /** Whether {@link #start()} was called and {@link #close()} not yet. */
    public boolean isRunning() {
        return state == RUNNING;
    }

    /** The lifecycle state. */
    public Lifecycle lifecycle() {
        return lifecycle.get();
    }

    /**
     * Moves the lifecycle forward to {@code next} (never back: READY after DRAINING is refused);
     * returns whether it moved. Readiness fails in every state but READY; published at once.
     */
    public boolean lifecycle(Lifecycle next) {
        Lifecycle before = lifecycle.advance(next);
        if (before == null) {
            return false;
        }
        LOG.info("lifecycle {} -> {}", before, next);
        changed();
        return true;
    }

    /**
     * Stops ticking, drops results that arrive from now on (no status change is published for a
     * run it interrupts), interrupts running checks and joins the engine's threads.
     */
    @Override
    public void close() {
        structure.lock();
        try {
            if (state == CLOSED) {
                return;
            }
            state = CLOSED;
            runs.closing();
            for (CheckRunner r : runners.values()) {
                runs.cancel(r);
            }
        } finally {
            structure.unlock();
        }
        Lifecycle before = lifecycle.advance(Lifecycle.STOPPED);
        if (before != null) {
            LOG.info("lifecycle {} -> {}", before, Lifecycle.STOPPED);
        }
        timer.shutdownNow();
        boolean joined;
        try {
            joined = timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            joined = false;
        }
        joined &= lane.close(TimeUnit.SECONDS.toNanos(5));
        joined &= jobLane.close(TimeUnit.SECONDS.toNanos(5));
        if (!joined) {
            LOG.warn("opskit engine closed; some check threads ignore interruption and are still running");
        }
        publish(false);
    }

    /** The scheduler of opskit's background jobs, on this engine's timer and job lane. */
    public OpsScheduler scheduler() {
        return jobs;
    }

    // ---------------------------------------------------------------- reading

    /** The snapshot of one probe: one volatile read, never blocking, never dispatching. */
    public HealthSnapshot snapshot(Probe probe) {
        SnapshotBuilder.Snapshots s = snapshots;
        if (probe == Probe.LIVENESS && heartbeatLate()) {
            return lateViews(s).byProbe().get(probe);
        }
        return s.byProbe().get(probe);
    }

    /** The snapshot of every check. */
    public HealthSnapshot snapshot() {
        SnapshotBuilder.Snapshots s = snapshots;
        return heartbeatLate() ? lateViews(s).all() : s.all();
    }

    /**
     * Whether the timer thread has missed its heartbeat for longer than 10 s. The timer cannot
     * report its own death, so readers judge it; to tell a frozen timer from a process that was
     * itself paused (its timer runs the moment it resumes), the heartbeat must still be late one
     * beat after a reader first saw it late.
     */
    private boolean heartbeatLate() {
        if (!syntheticChecks || state != RUNNING) {
            return false;
        }
        long now = ticker.nanoTime();
        long beat = heartbeatNanos;
        if (now - beat <= HEARTBEAT_STALE_NANOS) {
            return false;
        }
        long suspect = engineSuspectSince;
        if (suspect == 0 || suspect - beat < 0) {
            engineSuspectSince = now == 0 ? 1 : now;
            return false;
        }
        return now - suspect >= HEARTBEAT_NANOS;
    }

    private SnapshotBuilder.Snapshots lateViews(SnapshotBuilder.Snapshots s) {
        long ageSecs = TimeUnit.NANOSECONDS.toSeconds(ticker.nanoTime() - heartbeatNanos);
        Late l = late;
        if (l != null && l.base == s && l.ageSecs == ageSecs) {
            return l.views;
        }
        CheckState dead = CheckStates.synthetic(ENGINE_CHECK, Probe.LIVENESS,
                Result.fail("scheduler heartbeat is " + ageSecs + "s old").withTiming(clock.instant(), Duration.ZERO), true);
        long v = versions.incrementAndGet();
        Map<Probe, HealthSnapshot> byProbe = new EnumMap<>(s.byProbe());
        byProbe.put(Probe.LIVENESS, replaced(s.byProbe().get(Probe.LIVENESS), dead, v));
        SnapshotBuilder.Snapshots views = new SnapshotBuilder.Snapshots(byProbe, replaced(s.all(), dead, v));
        late = new Late(s, ageSecs, views);
        return views;
    }

    private static HealthSnapshot replaced(HealthSnapshot s, CheckState engine, long version) {
        List<CheckState> checks = new ArrayList<>(s.checks());
        checks.replaceAll(c -> c.name().equals(ENGINE_CHECK) ? engine : c);
        return new HealthSnapshot(s.probe(), HealthSnapshot.aggregate(checks), checks, version, engine.result().time());
    }

    /** The latest published state of one check, found by name without scanning. */
    public Optional<CheckState> check(String name) {
        CheckRunner r = runners.get(name);
        if (r != null) {
            return Optional.of(r.state());
        }
        if (syntheticChecks && (name.equals(LIFECYCLE_CHECK) || name.equals(ENGINE_CHECK))) {
            return snapshot().check(name);
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs one check now, single-flight: concurrent callers share one run; a check whose run is
     * in flight is not started again. Completes once the result is published.
     */
    public CompletableFuture<CheckState> refresh(String name) {
        CheckRunner r = runners.get(name);
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no check named '" + name + "'"));
        }
        return runs.trigger(r, true);
    }

    /** Runs every check now (single-flight per check) and completes with the overall snapshot. */
    public CompletableFuture<HealthSnapshot> refreshAll() {
        List<CompletableFuture<CheckState>> all = new ArrayList<>();
        for (CheckRunner r : runners.values()) {
            all.add(runs.trigger(r, true));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> snapshot());
    }

    // called by the scheduler for every result, on a worker or the timer thread
    private void record(CheckRunner r, Result raw, long tookNanos, boolean timed, CompletableFuture<CheckState> waiting) {
        Duration took = Duration.ofNanos(tookNanos);
        Result stamped = raw.withTiming(clock.instant(), took);
        boolean[] changedStatus = new boolean[1];
        r.record(stamped, ticker.nanoTime(), e -> {
            pendingEvents.add(e);
            changedStatus[0] = true;
        });
        if (timed) {
            for (CheckTimingListener l : timingListeners) {
                try {
                    l.onRun(r.name, took, raw.status());
                } catch (RuntimeException e) {
                    LOG.warn("timing listener failed; skipped: {}", Redactor.forLog(Result.describe(e)));
                }
            }
        }
        if (waiting != null) {
            waiters.add(new Waiter(r, waiting));
        }
        request(changedStatus[0] || waiting != null);
    }

    // ---------------------------------------------------------------- publication

    /** Something a reader must see soon changed (a status, the structure, the lifecycle). */
    private void changed() {
        if (state == NEW) {
            publish(false);         // nothing ticks yet: publish on the caller, there is no timer work to share
        } else {
            request(true);
        }
    }

    private void request(boolean urgent) {
        dirty.set(true);
        try {
            if (urgent) {
                if (urgentScheduled.compareAndSet(false, true)) {
                    long wait = lastPublishNanos + TimeUnit.MILLISECONDS.toNanos(URGENT_SPACING_MILLIS) - System.nanoTime();
                    timer.schedule(this::urgentPublish, Math.max(0, wait), TimeUnit.NANOSECONDS);
                }
            } else if (lazyScheduled.compareAndSet(false, true)) {
                timer.schedule(this::lazyPublish, LAZY_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (RejectedExecutionException e) {
            publish(false);         // closed: the final state is published by whoever asks
        }
    }

    private void urgentPublish() {
        urgentScheduled.set(false);
        publish(false);
    }

    private void lazyPublish() {
        lazyScheduled.set(false);
        if (dirty.get()) {
            publish(false);
        }
    }

    private void heartbeat() {
        long now = ticker.nanoTime();
        long gap = now - previousBeatNanos;
        previousBeatNanos = now;
        heartbeatNanos = now;
        engineSuspectSince = 0;
        // a beat that comes far too late means this process was paused (or starved): ticks that
        // were due during the pause are running now, so staleness is judged from the next beat
        boolean judge = gap < 3 * HEARTBEAT_NANOS;
        if (!judge) {
            LOG.info("opskit engine: the scheduler was paused for {} ms; staleness is judged again from the next beat",
                    TimeUnit.NANOSECONDS.toMillis(gap));
        }
        publish(judge);
    }

    /**
     * Builds and publishes the snapshots, then hands the status changes they contain to the event
     * hub (history, log, listener lanes) in order, and completes the refreshes they answer.
     */
    private void publish(boolean judge) {
        synchronized (publishLock) {
            dirty.set(false);
            List<StatusChangeEvent> changes = new ArrayList<>();
            for (StatusChangeEvent e; (e = pendingEvents.poll()) != null; ) {
                changes.add(e);
            }
            List<Waiter> answered = new ArrayList<>();
            for (Waiter w; (w = waiters.poll()) != null; ) {
                answered.add(w);
            }
            int st = state;
            long now = ticker.nanoTime();
            Instant at = clock.instant();
            SnapshotBuilder.Snapshots s = SnapshotBuilder.build(runners.values(), synthetic(st, at), judge && st == RUNNING,
                    now, at, versions.incrementAndGet(), changes::add);
            if (autoReady && st == RUNNING && s.byProbe().get(Probe.STARTUP).status() != Status.FAIL
                    && lifecycle.advance(Lifecycle.STARTING, Lifecycle.READY)) {
                LOG.info("lifecycle STARTING -> READY (startup probe passed)");
                s = SnapshotBuilder.build(runners.values(), synthetic(st, at), false, now, at, versions.incrementAndGet(),
                        changes::add);
            }
            snapshots = s;
            lastPublishNanos = System.nanoTime();
            for (StatusChangeEvent e : changes) {
                events.statusChanged(e);
            }
            for (Waiter w : answered) {
                w.future.complete(w.runner.state());
            }
        }
    }

    private List<CheckState> synthetic(int st, Instant at) {
        if (!syntheticChecks) {
            return List.of();
        }
        // sorted by name: lifecycle:state < opskit:engine
        return List.of(CheckStates.lifecycle(LIFECYCLE_CHECK, lifecycle.get(), at), engineState(st, at));
    }

    private CheckState engineState(int st, Instant at) {
        Result result;
        if (st == NEW) {
            result = Result.pass("not started");
        } else if (st == CLOSED) {
            result = Result.pass("closed");
        } else {
            Workers.Stats w = lane.stats();
            result = w.saturated()
                    ? Result.warn(w.stuck() + " check threads are stuck in runs past their deadline that ignore "
                            + "interruption; " + w.queued() + " runs wait for one of them to return")
                    : Result.pass();
            result = result.withDetail("workers", w.bound()).withDetail("busy", w.active()).withDetail("stuck", w.stuck())
                    .withDetail("queued", w.queued()).withDetail("threads", w.threads());
        }
        return CheckStates.synthetic(ENGINE_CHECK, Probe.LIVENESS, result.withTiming(at, Duration.ZERO), true);
    }

    // ---------------------------------------------------------------- diagnostics

    /** Number of live threads the engine owns now: the timer, the check workers and the job threads. */
    public int threadCount() {
        return lane.stats().threads() + jobLane.stats().threads() + (timer.isTerminated() ? 0 : timer.getPoolSize());
    }

    /** Periodic ticks scheduled since the engine was made: one per check registered while running. */
    public long ticksScheduled() {
        return runs.scheduled();
    }

    /** Periodic ticks cancelled since the engine was made (unregistered checks). */
    public long ticksCancelled() {
        return runs.cancelled();
    }

    /** The bound of runs that hold a worker at once. */
    public int maxThreads() {
        return lane.stats().bound();
    }

    /** Milliseconds since the engine was created, on the monotonic ticker. */
    public long uptimeMillis() {
        return TimeUnit.NANOSECONDS.toMillis(ticker.nanoTime() - createdNanos);
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private record Waiter(CheckRunner runner, CompletableFuture<CheckState> future) {
    }

    private record Late(SnapshotBuilder.Snapshots base, long ageSecs, SnapshotBuilder.Snapshots views) {
    }
}
