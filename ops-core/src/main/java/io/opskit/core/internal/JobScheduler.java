package io.opskit.core.internal;

import io.opskit.core.OpsScheduler;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background jobs on the engine's timer: the timer only decides when; each run goes to the job
 * lane, and the next run is timed when the previous one ends, so a job never overlaps itself.
 */
final class JobScheduler implements OpsScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(JobScheduler.class);

    private final ScheduledExecutorService timer;
    private final Workers lane;

    JobScheduler(ScheduledExecutorService timer, Workers lane) {
        this.timer = timer;
        this.lane = lane;
    }

    @Override
    public AutoCloseable scheduleWithFixedDelay(String name, Duration initialDelay, Duration delay, Runnable job) {
        validate(name, initialDelay, delay, job);
        Job j = new Job(name, delay.toNanos(), job);
        j.next(initialDelay.toNanos());
        return j::cancel;
    }

    /** Rejects what no scheduler accepts, naming the job and the fix. */
    static void validate(String name, Duration initialDelay, Duration delay, Runnable job) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(job, "job");
        if (initialDelay == null || initialDelay.isNegative()) {
            throw new IllegalArgumentException("initialDelay of job '" + name + "' must be zero or positive, but was "
                    + initialDelay + ": use e.g. Duration.ZERO");
        }
        if (delay == null || delay.isNegative() || delay.isZero()) {
            throw new IllegalArgumentException("delay of job '" + name + "' must be positive, but was " + delay
                    + ": use e.g. Duration.ofSeconds(30)");
        }
    }

    private final class Job extends Workers.Task {
        private final String name;
        private final long delayNanos;
        private final Runnable body;
        private volatile boolean cancelled;
        private volatile ScheduledFuture<?> timed;

        Job(String name, long delayNanos, Runnable body) {
            this.name = name;
            this.delayNanos = delayNanos;
            this.body = body;
        }

        void next(long inNanos) {
            if (cancelled) {
                return;
            }
            try {
                timed = timer.schedule(() -> {
                    if (!cancelled && !lane.submit(this)) {
                        cancelled = true;
                    }
                }, inNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                cancelled = true;       // the engine is closed
            }
        }

        @Override
        public void run() {
            if (cancelled) {
                return;
            }
            try {
                body.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("background job {} failed; it runs again in {} ms: {}", Redactor.forLog(name),
                        TimeUnit.NANOSECONDS.toMillis(delayNanos), Redactor.forLog(Result.describe(e)));
            } finally {
                next(delayNanos);
            }
        }

        void cancel() {
            cancelled = true;
            ScheduledFuture<?> t = timed;
            if (t != null) {
                t.cancel(false);
            }
            lane.cancel(this);
        }
    }
}
