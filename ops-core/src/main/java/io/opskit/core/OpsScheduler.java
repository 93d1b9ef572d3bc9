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
}
