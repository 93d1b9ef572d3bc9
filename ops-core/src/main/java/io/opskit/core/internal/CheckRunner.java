package io.opskit.core.internal;

import io.opskit.core.CheckRegistration;
import io.opskit.core.CheckState;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One registered check inside the engine: its hysteresis state (guarded by the engine's lock)
 * and its in-flight run. A check has at most one run in flight: a check still hung on its next
 * tick is not started twice, so hung checks hold at most one worker each.
 */
final class CheckRunner {

    final CheckRegistration registration;
    final long timeoutNanos;
    final long staleAfterMillis;
    /** The run whose worker has not returned yet (queued, running or hung); null when idle. */
    final AtomicReference<Run> inFlight = new AtomicReference<>();
    volatile ScheduledFuture<?> tick;
    volatile boolean removed;

    // guarded by the engine lock
    Status reported;            // null while pending
    Result last;                // latest raw result, stamped
    long lastMillis;            // wall millis of the latest result
    int failStreak;
    int okStreak;
    boolean everPassed;
    CheckState state;           // the state built from the above

    CheckRunner(CheckRegistration registration, long registeredAtMillis) {
        this.registration = registration;
        this.timeoutNanos = registration.timeout().toNanos();
        long interval = registration.interval().toMillis();
        // stale when no result came for interval + timeout, plus a margin for scheduling jitter
        this.staleAfterMillis = interval + registration.timeout().toMillis() + Math.max(1000L, interval / 4);
        this.lastMillis = registeredAtMillis + registration.initialDelay().toMillis();
    }

    String name() {
        return registration.name();
    }

    /**
     * Applies a raw status to the hysteresis counters and returns the status to report: FAIL
     * only after {@code failureThreshold} failures in a row, healthy again only after
     * {@code successThreshold} successes in a row; any success resets the failure count and any
     * failure the success count.
     */
    Status apply(Status raw) {
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
        return reported;
    }

    /** A run of the check: completed once, by the worker or by the deadline, whichever is first. */
    static final class Run {
        final CompletableFuture<CheckState> done = new CompletableFuture<>();
        final long submittedNanos = System.nanoTime();
        volatile ScheduledFuture<?> deadline;
        // guarded by this
        Thread thread;
        boolean recorded;           // guarded by the engine lock
    }
}
