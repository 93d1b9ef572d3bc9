package io.opskit.core;

import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schedule of one component's background job (a reaper, a watchdog, a poller): on the
 * {@link OpsScheduler} it was given, usually {@link Ops#scheduler()}, or on a thread of its own
 * when the component is used without an {@code Ops}. {@link #close()} stops the job and ends
 * that thread, so components hold one of these and no executor code.
 */
public final class ScheduledJob implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledJob.class);

    private final OpsScheduler scheduler;
    private final OpsScheduler.Owned own;       // null on a shared scheduler
    private AutoCloseable handle;               // guarded by this

    private ScheduledJob(OpsScheduler scheduler, OpsScheduler.Owned own) {
        this.scheduler = scheduler;
        this.own = own;
    }

    /** A job on {@code scheduler}, e.g. {@code ops.scheduler()}. */
    public static ScheduledJob on(OpsScheduler scheduler) {
        return new ScheduledJob(Objects.requireNonNull(scheduler, "scheduler"), null);
    }

    /** A job on a daemon thread of its own, named {@code threadName}, that {@link #close()} ends. */
    public static ScheduledJob ownThread(String threadName) {
        OpsScheduler.Owned own = OpsScheduler.ownThread(threadName);
        return new ScheduledJob(own, own);
    }

    /**
     * Starts running {@code job} after {@code initialDelay}, then {@code delay} after each run
     * ends; does nothing when already started. See {@link OpsScheduler#scheduleWithFixedDelay}.
     */
    public synchronized void start(String name, Duration initialDelay, Duration delay, Runnable job) {
        if (handle == null) {
            handle = scheduler.scheduleWithFixedDelay(name, initialDelay, delay, job);
        }
    }

    /** Whether {@link #start} was called and {@link #close()} not yet. */
    public synchronized boolean isStarted() {
        return handle != null;
    }

    /** Stops the job (a run in progress finishes, or is interrupted on a thread of its own) and ends its own thread. */
    @Override
    public void close() {
        AutoCloseable stopping;
        synchronized (this) {
            stopping = handle;
            handle = null;
        }
        if (stopping != null) {
            try {
                stopping.close();
            } catch (Exception e) {
                LOG.warn("stopping a background job failed: {}", Redactor.forLog(Result.describe(e)));
            }
        }
        if (own != null) {
            own.close();
        }
    }
}
