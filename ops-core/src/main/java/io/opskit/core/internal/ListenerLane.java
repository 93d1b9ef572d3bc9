package io.opskit.core.internal;

import io.opskit.core.Redactor;
import io.opskit.core.Result;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery lane of one listener: a bounded queue drained in order on the dispatcher's
 * threads, one event at a time. A listener that blocks holds its own lane only: the engine, the
 * history, the log and every other listener go on. When the queue is full the oldest event is
 * dropped, counted, and named in a WARN at most once a minute per listener.
 */
final class ListenerLane<E> {

    private static final Logger LOG = LoggerFactory.getLogger("io.opskit.events");
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final String kind;
    private final Consumer<? super E> listener;
    private final int capacity;
    private final Executor executor;
    private final AtomicLong dropped;
    private final ArrayDeque<E> queue = new ArrayDeque<>();
    private boolean scheduled;          // guarded by this
    private boolean closed;             // guarded by this
    private long droppedSinceWarn;      // guarded by this
    private long lastWarnNanos = System.nanoTime() - WARN_EVERY_NANOS;

    ListenerLane(String kind, Consumer<? super E> listener, int capacity, Executor executor, AtomicLong dropped) {
        this.kind = kind;
        this.listener = listener;
        this.capacity = capacity;
        this.executor = executor;
        this.dropped = dropped;
    }

    Consumer<? super E> listener() {
        return listener;
    }

    /** Queues an event; never blocks. */
    void offer(E event) {
        boolean start;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue.size() >= capacity) {
                queue.pollFirst();
                dropped.incrementAndGet();
                droppedSinceWarn++;
                long now = System.nanoTime();
                if (now - lastWarnNanos >= WARN_EVERY_NANOS) {
                    lastWarnNanos = now;
                    LOG.warn("{} listener {} is not keeping up: dropped the {} oldest events of its queue of {} "
                            + "(counted in opskit.events.dropped)", kind, Redactor.forLog(String.valueOf(listener)),
                            droppedSinceWarn, capacity);
                    droppedSinceWarn = 0;
                }
            }
            queue.addLast(event);
            start = !scheduled;
            scheduled = true;
        }
        if (start) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                synchronized (this) {
                    scheduled = false;      // the dispatcher is closed: nothing more is delivered
                    queue.clear();
                }
            }
        }
    }

    void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
    }

    private void drain() {
        while (true) {
            E event;
            synchronized (this) {
                event = queue.pollFirst();
                if (event == null) {
                    scheduled = false;
                    return;
                }
            }
            try {
                listener.accept(event);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("{} listener {} failed; skipped: {}", kind, Redactor.forLog(String.valueOf(listener)), Redactor.forLog(Result.describe(e)));
            }
        }
    }
}
