package io.opskit.core.internal;

import io.opskit.core.CheckState;
import io.opskit.core.Result;
import io.opskit.core.Ticker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Schedules and runs checks: the timer thread only ticks and fires deadlines (it never runs a
 * check and never blocks); runs go to the bounded {@link Workers} lane. A check has at most one
 * run in flight. At its deadline a run is reported FAIL, its thread interrupted and its slot
 * given back, so a check that ignores interruption keeps its own thread but starves nobody. A
 * tick that finds the check still stuck reports it again ("still running after Ns, not
 * restarted") without starting it twice. A run that waits for a free worker has no deadline yet:
 * its waiting shows as staleness, never as a failure of the check.
 */
final class CheckScheduler {

    /** Where results go. */
    interface Sink {
        /**
         * A result of a check. {@code timed} is true for a real run (finished or timed out), false
         * for a tick that found the check stuck; {@code waiters} completes once the result is published.
         */
        void record(CheckRunner runner, Result raw, long tookNanos, boolean timed, CompletableFuture<CheckState> waiters);
    }

    private static final long GRID_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ScheduledExecutorService timer;
    private final Workers lane;
    private final Ticker ticker;
    private final Sink sink;
    private volatile boolean closing;
    private final AtomicLong scheduled = new AtomicLong();
    private final AtomicLong cancelled = new AtomicLong();

    CheckScheduler(ScheduledExecutorService timer, Workers lane, Ticker ticker, Sink sink) {
        this.timer = timer;
        this.lane = lane;
        this.ticker = ticker;
        this.sink = sink;
    }

    /**
     * Ticks {@code r} on its interval, the first tick after its initial delay. Ticks land on a
     * 10 ms grid so that the timer thread wakes once for every check due in the same 10 ms
     * instead of once per check.
     */
    void schedule(CheckRunner r) {
        long now = System.nanoTime();   // the timer's own time base, not the injected ticker
        long delay = r.registration.initialDelay().toNanos();
        long interval = r.registration.interval().toNanos();
        try {
            if (delay == 0) {
                timer.execute(() -> trigger(r, false));     // the first run at once, then on the grid
                delay = interval;
            }
            long first = now + delay;
            long aligned = Math.floorDiv(first + GRID_NANOS - 1, GRID_NANOS) * GRID_NANOS;
            r.tick = timer.scheduleAtFixedRate(() -> trigger(r, false), aligned - now, interval, TimeUnit.NANOSECONDS);
            scheduled.incrementAndGet();
        } catch (RejectedExecutionException e) {
            r.tick = null;              // closing
        }
    }

    /** Stops ticking {@code r} and drops or interrupts its run in flight. */
    void cancel(CheckRunner r) {
        ScheduledFuture<?> t = r.tick;
        if (t != null && t.cancel(false)) {
            cancelled.incrementAndGet();
        }
        CheckRunner.Run run = r.current();
        if (run != null) {
            if (!lane.cancel(run)) {
                r.interrupt(run);
                lane.abandon(run);      // a removed check that ignores interruption must not keep a slot
            }
            r.finish(run);
            complete(run.waitersIfAny(), r);
        }
    }

    /** Periodic ticks scheduled so far (each check exactly once while it is registered and the engine runs). */
    long scheduled() {
        return scheduled.get();
    }

    /** Periodic ticks cancelled so far. */
    long cancelled() {
        return cancelled.get();
    }

    /** Stops reporting: results and deadlines that arrive from now on are dropped silently. */
    void closing() {
        closing = true;
    }

    /**
     * Runs {@code r} now unless a run is in flight. With {@code wantResult}, returns a future
     * completed once the result is published (shared by concurrent callers); otherwise null.
     */
    CompletableFuture<CheckState> trigger(CheckRunner r, boolean wantResult) {
        if (closing) {
            return wantResult ? CompletableFuture.completedFuture(r.state()) : null;
        }
        long now = ticker.nanoTime();
        CheckRunner.Run run = r.newRun(now);
        if (run == null) {
            CheckRunner.Run current = r.current();
            if (current == null) {
                return wantResult ? CompletableFuture.completedFuture(r.state()) : null;    // removed
            }
            if (current.phase != CheckRunner.TIMED_OUT) {
                return wantResult ? current.waiters() : null;     // queued or running: share it
            }
            long secs = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(now - current.startNanos));
            CompletableFuture<CheckState> f = wantResult ? new CompletableFuture<>() : null;
            sink.record(r, Result.fail("timed out after " + HealthEngine.human(r.registration.timeout())
                    + "; still running after " + secs + "s, not restarted"), 0, false, f);
            return f;
        }
        run.body = () -> execute(r, run);
        CompletableFuture<CheckState> f = wantResult ? run.waiters() : null;
        if (!lane.submit(run)) {
            r.finish(run);
            complete(f, r);
        }
        return f;
    }

    private void execute(CheckRunner r, CheckRunner.Run run) {
        long t0 = ticker.nanoTime();
        if (!r.begin(run, Thread.currentThread(), t0)) {
            complete(run.waitersIfAny(), r);
            return;
        }
        try {
            run.deadline = timer.schedule(() -> expire(r, run), r.timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing: the run is interrupted by close()
        }
        Result result;
        try {
            result = r.registration.check().check();
            if (result == null) {
                result = Result.fail("check returned no result");
            }
        } catch (InterruptedException e) {
            result = Result.fail("interrupted");
        } catch (Throwable e) { // NOPMD: a check must never kill a worker; what it throws is its FAIL
            result = Result.fail(e);
        }
        long took = ticker.nanoTime() - t0;
        ScheduledFuture<?> d = run.deadline;
        if (d != null) {
            d.cancel(false);
        }
        if (!r.finish(run) || closing) {
            complete(run.waitersIfAny(), r);    // timed out before (already reported), removed, or closing
            return;
        }
        sink.record(r, result, took, true, run.waitersIfAny());
    }

    private void expire(CheckRunner r, CheckRunner.Run run) {
        if (closing || !r.expire(run)) {
            return;
        }
        lane.abandon(run);
        sink.record(r, Result.fail("timed out after " + HealthEngine.human(r.registration.timeout())),
                r.timeoutNanos, true, run.waitersIfAny());
        r.interrupt(run);
    }

    private static void complete(CompletableFuture<CheckState> f, CheckRunner r) {
        if (f != null) {
            f.complete(r.state());
        }
    }
}
