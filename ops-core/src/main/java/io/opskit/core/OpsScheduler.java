package io.opskit.core;

import java.time.Duration;

/**
 * The one scheduler of an {@link Ops} for opskit's background jobs (reapers, watchdogs, file and
 * store polling), so that none of them owns a thread of its own. Jobs are timed by the engine's
 * timer thread but run on a small lane of job threads, never on the timer itself: a job that
 * blocks on a frozen database delays no check, deadline or heartbeat.
 */
public interface OpsScheduler {

    /**
     * Runs {@code job} after {@code initialDelay}, then again {@code delay} after each run ends:
     * two runs of one job never overlap. A job that throws is logged and runs again at its next
     * time.
     *
     * @param name what the job is, for log lines (e.g. {@code postgres:reaper})
     * @return a handle that stops the job when closed (a run in progress finishes)
     */
    AutoCloseable scheduleWithFixedDelay(String name, Duration initialDelay, Duration delay, Runnable job);

    /**
     * A scheduler with one daemon thread of its own, named {@code threadName}, for a component
     * used without an {@link Ops}: its jobs run on that thread in turn; {@link Owned#close()}
     * stops them and ends the thread. With an {@code Ops}, pass {@link Ops#scheduler()} instead.
     */
    static Owned ownThread(String threadName) {
        return new io.opskit.core.internal.OwnThreadScheduler(threadName);
    }

    /** A scheduler that owns its thread: whoever made it closes it. */
    interface Owned extends OpsScheduler, AutoCloseable {
        /** Cancels every job, interrupts a run in progress and waits up to 5 s for the thread to end. */
        @Override
        void close();
    }
}
