package io.opskit.core.internal;

import io.opskit.core.CheckRegistration;
import io.opskit.core.CheckState;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.opskit.core.StatusChangeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One registered check: its hysteresis, its staleness and its run in flight. Everything mutable
 * is guarded by this object's monitor, held only for a few field updates (never while a check
 * runs or a listener is called). The latest {@link CheckState} is published in a volatile field
 * that the snapshot builder reads without locking.
 *
 * <p>Staleness is measured on the engine's monotonic ticker from the moment the check became due
 * (start, or registration after start, plus its initial delay) or from its latest result. A run
 * still inside its deadline is never stale: its deadline will report it. Staleness enters the
 * hysteresis as a failure: a stale check is reported FAIL and needs {@code successThreshold}
 * good results to be healthy again.
 */
final class CheckRunner {

    /** Phases of a run. */
    static final int QUEUED = 0;
    static final int RUNNING = 1;
    static final int DONE = 2;
    static final int TIMED_OUT = 3;

    final CheckRegistration registration;
    final String name;
    final long timeoutNanos;
    final long staleAfterNanos;
    private final long initialDelayNanos;

    ScheduledFuture<?> tick;        // guarded by the engine's structure lock

    // guarded by this
    private boolean removed;
    private boolean armed;          // staleness is judged only once the engine runs
    private long freshSinceNanos;   // when the latest result came, or when the first one was due
    private Status reported;        // null while pending
    private Result last;
    private int failStreak;
    private int okStreak;
    private boolean everPassed;
    private boolean stale;
    private Run current;            // queued, running, or past its deadline and still on its thread

    private volatile CheckState state;

    CheckRunner(CheckRegistration registration, Instant now) {
        this.registration = registration;
        this.name = registration.name();
        this.timeoutNanos = registration.timeout().toNanos();
        long interval = registration.interval().toNanos();
        // stale when no result came for interval + timeout, plus a margin for scheduling jitter
        this.staleAfterNanos = interval + timeoutNanos + Math.max(TimeUnit.SECONDS.toNanos(1), interval / 4);
        this.initialDelayNanos = registration.initialDelay().toNanos();
        this.state = CheckStates.pending(registration, now);
    }

    /** The latest state; read without locking. */
    CheckState state() {
        return state;
    }

    /** Starts judging staleness: the first result is due after the initial delay from {@code nowNanos}. */
    synchronized void arm(long nowNanos) {
        if (!armed) {
            armed = true;
            freshSinceNanos = nowNanos + initialDelayNanos;
        }
    }

    synchronized void remove() {
        removed = true;
    }

    synchronized boolean removed() {
        return removed;
    }

    // ------------------------------------------------------------------ runs

    /** The run in flight, or null. */
    synchronized Run current() {
        return current;
    }

    /** Starts a new run unless one is in flight; returns it, or null when one is (see {@link #current()}). */
    synchronized Run newRun(long nowNanos) {
        if (current != null || removed) {
            return null;
        }
        current = new Run(this, nowNanos);
        return current;
    }

    /** The worker picked the run up: true when it may call the check. */
    synchronized boolean begin(Run run, Thread thread, long nowNanos) {
        if (run.phase != QUEUED || removed) {
            if (current == run) {
                current = null;
            }
            return false;
        }
        run.phase = RUNNING;
        run.thread = thread;
        run.startNanos = nowNanos;
        return true;
    }

    /** The worker returned: true when the result counts (it finished before its deadline). */
    synchronized boolean finish(Run run) {
        run.thread = null;
        if (current == run) {
            current = null;
        }
        if (run.phase == RUNNING) {
            run.phase = DONE;
            return !removed;
        }
        return false;
    }

    /** The run's deadline passed: true when it was still running (the caller reports it and interrupts it). */
    synchronized boolean expire(Run run) {
        if (run.phase != RUNNING || removed) {
            return false;
        }
        run.phase = TIMED_OUT;
        return true;
    }

    synchronized void interrupt(Run run) {
        if (run.thread != null) {
            run.thread.interrupt();
        }
    }

    // ------------------------------------------------------------------ results

    /**
     * Applies a result (already stamped) through the hysteresis; the status change it causes, if
     * any, goes to {@code changes} while this check's monitor is held, so a check's changes are
     * queued in the order of its states.
     */
    synchronized void record(Result stamped, long nowNanos, Consumer<StatusChangeEvent> changes) {
        if (removed) {
            return;
        }
        Status before = reported;       // FAIL when stale: staleness entered the hysteresis
        Status raw = stamped.status();
        if (raw == Status.FAIL) {
            failStreak++;
            okStreak = 0;
        } else {
            okStreak++;
            failStreak = 0;
        }
        if (reported == null) {
            reported = raw;
        } else if (raw == Status.FAIL) {
            if (failStreak >= registration.failureThreshold()) {
                reported = Status.FAIL;
            }
        } else if (reported != Status.FAIL || okStreak >= registration.successThreshold()) {
            reported = raw;
        }
        if (reported != Status.FAIL) {
            everPassed = true;
        }
        last = stamped;
        stale = false;
        freshSinceNanos = nowNanos;
        state = CheckStates.fromResult(registration, stamped, reported, failStreak, okStreak, everPassed);
        if (before != reported) {
            changes.accept(new StatusChangeEvent(name, Optional.ofNullable(before), reported,
                    state.result().output().orElse(""), stamped.time(), registration.severity()));
        }
    }

    /**
     * Judges staleness at {@code nowNanos}. A check that turns stale is reported FAIL and enters
     * the hysteresis as failing; the event is returned (null when nothing changed). A check
     * already stale gets its output refreshed (its age grows).
     */
    synchronized StatusChangeEvent judge(long nowNanos, Instant at) {
        if (!armed || removed) {
            return null;
        }
        long age = nowNanos - freshSinceNanos;
        if (age <= staleAfterNanos || inDeadline(nowNanos)) {
            return null;
        }
        long secs = Math.max(0, TimeUnit.NANOSECONDS.toSeconds(age));
        String why = (last == null ? "stale: no result " + secs + "s after it was due"
                : "stale: last result is " + secs + "s old")
                + (current != null && current.phase == QUEUED ? " (waiting for a free worker)" : "");
        Status before = reported;
        boolean turned = !stale;
        if (turned) {
            stale = true;
            failStreak++;
            okStreak = 0;
            reported = Status.FAIL;
        }
        Result shown = Result.fail(why).withTiming(last == null ? at : last.time(),
                last == null ? Duration.ZERO : last.duration());
        state = new CheckState(name, registration.componentType(), registration.critical(), registration.probes(),
                Status.FAIL, shown, last == null, true, failStreak, okStreak, everPassed);
        if (!turned || before == Status.FAIL) {
            return null;
        }
        return new StatusChangeEvent(name, Optional.ofNullable(before), Status.FAIL, why, at, registration.severity());
    }

    // lock held
    private boolean inDeadline(long nowNanos) {
        return current != null && current.phase == RUNNING && nowNanos - current.startNanos <= timeoutNanos;
    }

    /** A run of the check, from the tick (or refresh) that queued it to the worker's return. */
    static final class Run extends Workers.Task {
        final CheckRunner runner;
        final long queuedNanos;
        // written under the runner's monitor, read by the scheduler without it
        volatile int phase = QUEUED;
        volatile long startNanos;
        // guarded by runner
        Thread thread;
        ScheduledFuture<?> deadline;
        CompletableFuture<CheckState> waiters;   // made only when refresh() asks for the result
        Runnable body;

        Run(CheckRunner runner, long queuedNanos) {
            this.runner = runner;
            this.queuedNanos = queuedNanos;
        }

        /** The future a caller of refresh() waits on; completed once the result is published. */
        CompletableFuture<CheckState> waiters() {
            synchronized (runner) {
                if (waiters == null) {
                    waiters = new CompletableFuture<>();
                }
                return waiters;
            }
        }

        CompletableFuture<CheckState> waitersIfAny() {
            synchronized (runner) {
                return waiters;
            }
        }

        @Override
        public void run() {
            body.run();
        }
    }
}
