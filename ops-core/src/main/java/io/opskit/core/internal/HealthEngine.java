package io.opskit.core.internal;

import io.opskit.core.CheckRegistration;
import io.opskit.core.CheckState;
import io.opskit.core.HealthSnapshot;
import io.opskit.core.Lifecycle;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.opskit.core.StatusChangeEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: runs every check in the background on its interval, in parallel, each under its
 * timeout, on a bounded pool it owns, and publishes immutable snapshots that readers take
 * without locks. Reading health never runs a check and never waits on a dependency.
 *
 * <p>Threads: one scheduler thread (ticks, deadlines, heartbeat; it never blocks) and at most
 * {@code threads} workers. A check has at most one run in flight, so a hung check holds at most
 * one worker; at its deadline it is reported FAIL and its worker interrupted.
 */
public final class HealthEngine implements AutoCloseable {

    /** Synthetic readiness check that reports the lifecycle. */
    public static final String LIFECYCLE_CHECK = "lifecycle:state";
    /** Synthetic liveness check that reports the engine's own heartbeat. */
    public static final String ENGINE_CHECK = "opskit:engine";

    private static final Logger LOG = LoggerFactory.getLogger(HealthEngine.class);
    private static final long HEARTBEAT_MILLIS = 1000;
    private static final long HEARTBEAT_STALE_MILLIS = 10_000;

    private final Clock clock;
    private final EventHub events;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ThreadPoolExecutor workers;
    private final int threads;
    private final boolean autoReady;
    private final boolean syntheticChecks;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, CheckRunner> runners = new ConcurrentHashMap<>();
    private final List<BiConsumer<CheckRunnerView, Boolean>> registrationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<CheckTimingListener> timingListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger generation = new AtomicInteger();

    private volatile Snapshots snapshots;
    private volatile Lifecycle lifecycle = Lifecycle.STARTING;
    private volatile long heartbeatMillis;
    private volatile boolean started;
    private volatile boolean closed;
    private long version;                 // guarded by lock
    private final long createdMillis;

    /** Receives the duration and raw status of every finished run (metrics). */
    @FunctionalInterface
    public interface CheckTimingListener {
        /** Called after a run finishes or times out. */
        void onRun(String check, Duration took, Status raw);
    }

    /** What registration listeners see of a check. */
    public record CheckRunnerView(CheckRegistration registration) {
    }

    /** Creates an engine; nothing runs before {@link #start()}. */
    public HealthEngine(int threads, Clock clock, EventHub events, boolean autoReady, boolean syntheticChecks) {
        this.clock = clock;
        this.events = events;
        this.threads = threads;
        this.autoReady = autoReady;
        this.syntheticChecks = syntheticChecks;
        this.createdMillis = clock.millis();
        this.heartbeatMillis = createdMillis;
        this.scheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("opskit-scheduler"));
        this.scheduler.setRemoveOnCancelPolicy(true);
        this.scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("opskit-check"));
        this.workers.allowCoreThreadTimeOut(true);
        lock.lock();
        try {
            publish(List.of());
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- registration

    /** Registers a check; rejects a duplicate name. Runs it at once (after its initial delay) if started. */
    public void register(CheckRegistration registration) {
        String name = registration.name();
        if (syntheticChecks && (name.equals(LIFECYCLE_CHECK) || name.equals(ENGINE_CHECK))) {
            throw new IllegalArgumentException("name '" + name + "' is reserved by opskit: choose another name");
        }
        CheckRunner runner = new CheckRunner(registration, clock.millis());
        List<StatusChangeEvent> changes;
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("cannot register '" + name + "': the engine is closed");
            }
            if (runners.putIfAbsent(name, runner) != null) {
                throw new IllegalArgumentException("a check named '" + name + "' is already registered: "
                        + "names must be unique, choose another 'component:measurement'");
            }
            runner.state = CheckStates.pending(runner.registration, clock.instant());
            changes = publish(List.of());
        } finally {
            lock.unlock();
        }
        dispatch(changes);
        for (BiConsumer<CheckRunnerView, Boolean> l : registrationListeners) {
            l.accept(new CheckRunnerView(registration), Boolean.TRUE);
        }
        if (started) {
            schedule(runner);
        }
    }

    /** Removes a check; returns whether it was registered. Its in-flight run is interrupted. */
    public boolean unregister(String name) {
        CheckRunner runner;
        List<StatusChangeEvent> changes;
        lock.lock();
        try {
            runner = runners.remove(name);
            if (runner == null) {
                return false;
            }
            runner.removed = true;
            changes = publish(List.of());
        } finally {
            lock.unlock();
        }
        ScheduledFuture<?> t = runner.tick;
        if (t != null) {
            t.cancel(false);
        }
        CheckRunner.Run run = runner.inFlight.get();
        if (run != null) {
            interrupt(run);
        }
        dispatch(changes);
        for (BiConsumer<CheckRunnerView, Boolean> l : registrationListeners) {
            l.accept(new CheckRunnerView(runner.registration), Boolean.FALSE);
        }
        return true;
    }

    /** The registrations, in no particular order. */
    public List<CheckRegistration> registrations() {
        List<CheckRegistration> out = new ArrayList<>();
        for (CheckRunner r : runners.values()) {
            out.add(r.registration);
        }
        return out;
    }

    /** Listens to registrations (true) and removals (false); existing checks are replayed at once. */
    public void onRegistration(BiConsumer<CheckRunnerView, Boolean> listener) {
        registrationListeners.add(listener);
        for (CheckRunner r : runners.values()) {
            listener.accept(new CheckRunnerView(r.registration), Boolean.TRUE);
        }
    }

    /** Listens to the timing of every run. */
    public void onTiming(CheckTimingListener listener) {
        timingListeners.add(listener);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Starts the scheduler: every check runs after its initial delay, then on its interval. Idempotent. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("the engine is closed; build a new one");
        }
        if (started) {
            return;
        }
        started = true;
        heartbeatMillis = clock.millis();
        scheduler.scheduleAtFixedRate(this::heartbeat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        for (CheckRunner r : runners.values()) {
            schedule(r);
        }
        republish();
    }

    /** Whether {@link #start()} was called and {@link #close()} not yet. */
    public boolean isRunning() {
        return started && !closed;
    }

    /** The lifecycle state. */
    public Lifecycle lifecycle() {
        return lifecycle;
    }

    /** Moves the lifecycle (readiness fails in every state but READY); publishes at once. */
    public void lifecycle(Lifecycle next) {
        Lifecycle before = lifecycle;
        if (before == next || before == Lifecycle.STOPPED) {
            return;
        }
        lifecycle = next;
        LOG.info("lifecycle {} -> {}", before, next);
        republish();
    }

    /** Stops scheduling, interrupts running checks and joins the engine's threads. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        lifecycle(Lifecycle.STOPPED);
        scheduler.shutdownNow();
        workers.shutdownNow();
        try {
            boolean joined = scheduler.awaitTermination(5, TimeUnit.SECONDS)
                    & workers.awaitTermination(5, TimeUnit.SECONDS);
            if (!joined) {
                LOG.warn("opskit engine: some check threads ignored interruption and are still running after 5s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (CheckRunner r : runners.values()) {
            CheckRunner.Run run = r.inFlight.get();
            if (run != null) {
                run.done.complete(r.state);
            }
        }
    }

    // ---------------------------------------------------------------- reading

    /** The snapshot of one probe, never blocking on a check. */
    public HealthSnapshot snapshot(Probe probe) {
        return current().byProbe.get(probe);
    }

    /** The snapshot of every check. */
    public HealthSnapshot snapshot() {
        return current().all;
    }

    private Snapshots current() {
        Snapshots s = snapshots;
        if (clock.millis() > s.validUntilMillis) {
            s = republish();
        }
        return s;
    }

    // ---------------------------------------------------------------- running

    /**
     * Runs one check now, single-flight: concurrent callers share one execution; a check whose
     * run is still in flight is not started again.
     */
    public CompletableFuture<CheckState> refresh(String name) {
        CheckRunner r = runners.get(name);
        if (r == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no check named '" + name + "'"));
        }
        return trigger(r);
    }

    /** Runs every check now (single-flight per check) and completes with the overall snapshot. */
    public CompletableFuture<HealthSnapshot> refreshAll() {
        List<CompletableFuture<CheckState>> all = new ArrayList<>();
        for (CheckRunner r : runners.values()) {
            all.add(trigger(r));
        }
        return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).thenApply(v -> snapshot());
    }

    private void schedule(CheckRunner r) {
        if (r.removed || closed) {
            return;
        }
        try {
            r.tick = scheduler.scheduleAtFixedRate(() -> trigger(r), r.registration.initialDelay().toMillis(),
                    r.registration.interval().toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("engine closed while scheduling {}", r.name());
        }
    }

    private CompletableFuture<CheckState> trigger(CheckRunner r) {
        CheckRunner.Run existing = r.inFlight.get();
        if (existing != null) {
            if (existing.done.isDone()) {
                // past its deadline and its worker has not returned: keep it FAIL and fresh, never start it twice
                long secs = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - existing.submittedNanos));
                record(r, null, Result.fail("timed out after " + human(r.registration.timeout())
                        + "; still not finished after " + secs + "s, not restarted"), r.registration.timeout(), false);
                return CompletableFuture.completedFuture(stateOf(r));
            }
            return existing.done;
        }
        if (closed || r.removed) {
            return CompletableFuture.completedFuture(stateOf(r));
        }
        CheckRunner.Run run = new CheckRunner.Run();
        if (!r.inFlight.compareAndSet(null, run)) {
            CheckRunner.Run other = r.inFlight.get();
            return other != null ? other.done : CompletableFuture.completedFuture(stateOf(r));
        }
        try {
            run.deadline = scheduler.schedule(() -> timeout(r, run), r.timeoutNanos, TimeUnit.NANOSECONDS);
            workers.execute(() -> execute(r, run));
        } catch (RejectedExecutionException e) {
            r.inFlight.compareAndSet(run, null);
            run.done.complete(stateOf(r));
        }
        return run.done;
    }

    private void execute(CheckRunner r, CheckRunner.Run run) {
        try {
            synchronized (run) {
                if (run.done.isDone()) {
                    return;             // its deadline passed while it waited for a worker
                }
                run.thread = Thread.currentThread();
            }
            long t0 = System.nanoTime();
            Result result;
            try {
                result = r.registration.check().check();
                if (result == null) {
                    result = Result.fail("check returned no result");
                }
            } catch (InterruptedException e) {
                result = Result.fail("interrupted");
            } catch (Throwable e) { // NOPMD: a check must never kill a worker; errors are its FAIL
                result = Result.fail(e);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            synchronized (run) {
                run.thread = null;
            }
            ScheduledFuture<?> d = run.deadline;
            if (d != null) {
                d.cancel(false);
            }
            record(r, run, result, took, true);
        } finally {
            synchronized (run) {
                run.thread = null;
            }
            Thread.interrupted();       // a late interrupt must not leak into the next check on this worker
            r.inFlight.compareAndSet(run, null);
        }
    }

    private void timeout(CheckRunner r, CheckRunner.Run run) {
        boolean waiting;
        synchronized (run) {
            waiting = run.thread == null;
        }
        String output = "timed out after " + human(r.registration.timeout())
                + (waiting ? " (waiting for a free worker; " + workers.getActiveCount() + " of " + threads + " busy)" : "");
        if (record(r, run, Result.fail(output), r.registration.timeout(), false)) {
            interrupt(run);
        }
    }

    private static void interrupt(CheckRunner.Run run) {
        synchronized (run) {
            if (run.thread != null) {
                run.thread.interrupt();
            }
        }
    }

    /** Applies a result; returns false when the run was already completed (the deadline and the worker race). */
    private boolean record(CheckRunner r, CheckRunner.Run run, Result raw, Duration took, boolean workerFinished) {
        List<StatusChangeEvent> changes;
        CheckState state;
        lock.lock();
        try {
            if (run != null) {
                if (run.recorded) {
                    return false;
                }
                run.recorded = true;
                if (workerFinished) {
                    // free the slot before the future completes, so a caller reacting to it can start the next run
                    r.inFlight.compareAndSet(run, null);
                }
            }
            if (r.removed) {
                state = r.state;
            } else {
                Instant now = clock.instant();
                Result stamped = raw.withTiming(now, took);
                Status before = r.state != null && r.state.stale() ? Status.FAIL : r.reported;
                Status reported = r.apply(raw.status());
                r.last = stamped;
                r.lastMillis = now.toEpochMilli();
                r.state = CheckStates.fromResult(r, stamped, reported);
                List<StatusChangeEvent> own = before == reported ? List.of()
                        : List.of(new StatusChangeEvent(r.name(), Optional.ofNullable(before), reported,
                                r.state.result().output().orElse(""), now));
                changes = publish(own);
                state = r.state;
                dispatchTiming(r, took, raw.status());
                dispatchLater(changes);
            }
        } finally {
            lock.unlock();
        }
        flushDispatch();
        if (run != null) {
            run.done.complete(state);
        }
        return true;
    }

    private void dispatchTiming(CheckRunner r, Duration took, Status raw) {
        for (CheckTimingListener l : timingListeners) {
            try {
                l.onRun(r.name(), took, raw);
            } catch (RuntimeException e) {
                LOG.warn("timing listener failed; skipped: {}", Result.describe(e));
            }
        }
    }

    // events collected under the lock are dispatched after it is released, on the same thread
    private final ThreadLocal<List<StatusChangeEvent>> pending = ThreadLocal.withInitial(ArrayList::new);

    private void dispatchLater(List<StatusChangeEvent> changes) {
        if (!changes.isEmpty()) {
            pending.get().addAll(changes);
        }
    }

    private void flushDispatch() {
        List<StatusChangeEvent> list = pending.get();
        if (list.isEmpty()) {
            return;
        }
        List<StatusChangeEvent> copy = List.copyOf(list);
        list.clear();
        dispatch(copy);
    }

    private void dispatch(List<StatusChangeEvent> changes) {
        for (StatusChangeEvent e : changes) {
            events.statusChanged(e);
        }
    }

    private void heartbeat() {
        heartbeatMillis = clock.millis();
        if (heartbeatMillis > snapshots.validUntilMillis) {
            republish();
        }
    }

    // ---------------------------------------------------------------- snapshots

    private Snapshots republish() {
        List<StatusChangeEvent> changes;
        Snapshots s;
        lock.lock();
        try {
            changes = publish(List.of());
            s = snapshots;
        } finally {
            lock.unlock();
        }
        dispatch(changes);
        return s;
    }

    /**
     * Builds and publishes new snapshots from the runners' states (guarded by lock). Staleness is
     * judged here; a check that turns stale yields a status change event.
     */
    private List<StatusChangeEvent> publish(List<StatusChangeEvent> changes) {
        long now = clock.millis();
        Instant at = Instant.ofEpochMilli(now);
        List<StatusChangeEvent> out = new ArrayList<>(changes);
        List<CheckState> all = new ArrayList<>(runners.size() + 2);
        long validUntil = Long.MAX_VALUE;
        for (CheckRunner r : runners.values()) {
            CheckState st = r.state;
            long staleAt = r.lastMillis + r.staleAfterMillis;
            if (started && !closed && now > staleAt) {
                long ago = Math.max(0, (now - r.lastMillis) / 1000);
                String why = r.last == null ? "stale: no result " + ago + "s after it was due"
                        : "stale: last result is " + ago + "s old";
                CheckState stale = new CheckState(st.name(), st.componentType(), st.critical(), st.probes(), Status.FAIL,
                        Result.fail(why).withTiming(r.last == null ? at : r.last.time(),
                                r.last == null ? Duration.ZERO : r.last.duration()),
                        st.pending(), true, st.consecutiveFailures(), st.consecutiveSuccesses(), st.everPassed());
                if (!st.stale() && r.reported != Status.FAIL) {
                    out.add(new StatusChangeEvent(r.name(), Optional.ofNullable(r.reported), Status.FAIL, why, at));
                }
                st = stale;
                r.state = stale;
            } else if (started && !closed) {
                validUntil = Math.min(validUntil, staleAt);
            }
            all.add(st);
        }
        if (syntheticChecks) {
            all.add(CheckStates.lifecycle(LIFECYCLE_CHECK, lifecycle, at));
            all.add(engineState(now, at));
            if (started && !closed) {
                validUntil = Math.min(validUntil, heartbeatMillis + HEARTBEAT_STALE_MILLIS + 1);
            }
        }
        all.sort(Comparator.comparing(CheckState::name));
        long v = ++version;
        Map<Probe, HealthSnapshot> byProbe = new EnumMap<>(Probe.class);
        for (Probe p : Probe.values()) {
            List<CheckState> in = new ArrayList<>();
            for (CheckState c : all) {
                if (c.probes().contains(p)) {
                    in.add(p == Probe.LIVENESS && c.pending() && !c.stale() ? CheckStates.asPassing(c, "pending: first run not finished") : c);
                }
            }
            Status status = p == Probe.STARTUP ? CheckStates.startupStatus(in) : HealthSnapshot.aggregate(in);
            byProbe.put(p, new HealthSnapshot(Optional.of(p), status, p == Probe.STARTUP ? CheckStates.startupView(in) : in, v, at));
        }
        HealthSnapshot overall = new HealthSnapshot(Optional.empty(), HealthSnapshot.aggregate(all), all, v, at);
        snapshots = new Snapshots(byProbe, overall, validUntil);
        if (autoReady && lifecycle == Lifecycle.STARTING && started && byProbe.get(Probe.STARTUP).status() != Status.FAIL) {
            lifecycle = Lifecycle.READY;
            LOG.info("lifecycle STARTING -> READY (startup probe passed)");
            return publish(out);
        }
        return out;
    }

    private CheckState engineState(long now, Instant at) {
        long age = now - heartbeatMillis;
        Result result;
        if (!started) {
            result = Result.pass("not started");
        } else if (closed) {
            result = Result.pass("closed");
        } else if (age > HEARTBEAT_STALE_MILLIS) {
            result = Result.fail("scheduler heartbeat is " + age / 1000 + "s old");
        } else {
            result = Result.pass().withDetail("workers", threads).withDetail("busy", workers.getActiveCount())
                    .withDetail("queued", workers.getQueue().size());
        }
        result = result.withTiming(at, Duration.ZERO);
        return CheckStates.synthetic(ENGINE_CHECK, Probe.LIVENESS, result, true);
    }

    private CheckState stateOf(CheckRunner r) {
        lock.lock();
        try {
            return r.state;
        } finally {
            lock.unlock();
        }
    }

    /** Number of live threads the engine owns now (for tests and diagnostics). */
    public int threadCount() {
        return workers.getPoolSize() + (scheduler.isTerminated() ? 0 : scheduler.getPoolSize());
    }

    /** The bound of the worker pool. */
    public int maxThreads() {
        return threads;
    }

    /** Milliseconds since the engine was created. */
    public long uptimeMillis() {
        return clock.millis() - createdMillis;
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The published snapshots: one per probe, one overall, and until when they are valid. */
    private record Snapshots(Map<Probe, HealthSnapshot> byProbe, HealthSnapshot all, long validUntilMillis) {
    }

    /** Checks that exist: the registered names. */
    public Collection<String> names() {
        return runners.keySet();
    }
}
