package io.opskit.core.correlation.internal;

import io.opskit.core.correlation.CorrelationId;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A {@link ScheduledExecutorService} that runs every task under the correlation ID of its submitter. */
public final class CorrelatingScheduledExecutorService extends CorrelatingExecutorService
        implements ScheduledExecutorService {

    private final ScheduledExecutorService delegate;

    /** Wraps {@code delegate}. */
    public CorrelatingScheduledExecutorService(ScheduledExecutorService delegate) {
        super(delegate);
        this.delegate = delegate;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return delegate.schedule(CorrelationId.wrap(command), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return delegate.schedule(CorrelationId.wrap(callable), delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return delegate.scheduleAtFixedRate(CorrelationId.wrap(command), initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return delegate.scheduleWithFixedDelay(CorrelationId.wrap(command), initialDelay, delay, unit);
    }
}
