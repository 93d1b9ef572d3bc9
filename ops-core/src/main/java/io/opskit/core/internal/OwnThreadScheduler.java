package io.opskit.core.internal;

import io.opskit.core.OpsScheduler;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link OpsScheduler#ownThread}: one daemon thread, started on the first job and ended by
 * {@link #close()} (or 10 s after the last job is cancelled). Jobs run on it in turn.
 */
public final class OwnThreadScheduler implements OpsScheduler.Owned {

    private static final Logger LOG = LoggerFactory.getLogger(OwnThreadScheduler.class);

    private final ScheduledThreadPoolExecutor executor;

    /** A scheduler whose thread is called {@code threadName}. */
    public OwnThreadScheduler(String threadName) {
        Objects.requireNonNull(threadName, "threadName");
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setKeepAliveTime(10, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
    }

    @Override
    public AutoCloseable scheduleWithFixedDelay(String name, Duration initialDelay, Duration delay, Runnable job) {
        JobScheduler.validate(name, initialDelay, delay, job);
        ScheduledFuture<?> f = executor.scheduleWithFixedDelay(() -> {
            try {
                job.run();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("background job {} failed; it runs again in {} ms: {}", Redactor.forLog(name), delay.toMillis(),
                        Redactor.forLog(Result.describe(e)));
            }
        }, initialDelay.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(true);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
