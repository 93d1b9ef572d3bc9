package io.opskit.core.internal;

import io.opskit.core.ActionEvent;
import io.opskit.core.OpsEvent;
import io.opskit.core.OpsEvents;
import io.opskit.core.Redactor;
import io.opskit.core.Status;
import io.opskit.core.StatusChangeEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event dispatcher of one {@code Ops}: every event is written to the bounded history and the
 * log at once, in the order it was published, and handed to each listener's own
 * {@link ListenerLane}, delivered in that order on the dispatcher's threads, never on the
 * publisher's. A listener that blocks for ever delays nothing but itself; a listener that throws
 * is logged and skipped.
 */
public final class EventHub implements OpsEvents, AutoCloseable {

    /** Events a listener may have waiting before the oldest are dropped: 1024. */
    public static final int DEFAULT_QUEUE_SIZE = 1024;

    private static final Logger LOG = LoggerFactory.getLogger("io.opskit.events");

    private final CopyOnWriteArrayList<ListenerLane<StatusChangeEvent>> statusLanes = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<ListenerLane<ActionEvent>> actionLanes = new CopyOnWriteArrayList<>();
    private final ArrayDeque<OpsEvent> history;
    private final int capacity;
    private final int queueSize;
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor dispatcher;

    /** A hub that keeps the last {@code capacity} events, with listener queues of the default size. */
    public EventHub(int capacity) {
        this(capacity, DEFAULT_QUEUE_SIZE);
    }

    /** A hub that keeps the last {@code capacity} events; each listener may have {@code queueSize} events waiting. */
    public EventHub(int capacity, int queueSize) {
        this.capacity = capacity;
        this.queueSize = queueSize;
        this.history = new ArrayDeque<>(Math.min(capacity, 1024));
        AtomicInteger n = new AtomicInteger();
        // at most one thread per listener with events waiting; idle threads end after 30 s
        this.dispatcher = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "opskit-events-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Records a status change: history and log (WARN for worse, INFO for recovery, DEBUG for a first result that
     * passes) now, listeners on their lanes.
     */
    public void statusChanged(StatusChangeEvent event) {
        synchronized (history) {
            remember(event);
            if (event.to() == Status.PASS && event.from().isEmpty()) {
                // a check's first result that passes is the expected start, not news: a clean start logs no line per check
                LOG.debug("health {}", Redactor.forLog(event.describe()));
            } else if (event.to() == Status.PASS) {
                LOG.info("health {}", Redactor.forLog(event.describe()));
            } else {
                LOG.warn("health {}", Redactor.forLog(event.describe()));
            }
            for (ListenerLane<StatusChangeEvent> lane : statusLanes) {
                lane.offer(event);
            }
        }
    }

    @Override
    public void publish(ActionEvent event) {
        Objects.requireNonNull(event, "event");
        synchronized (history) {
            remember(event);
            LOG.info("action {}", Redactor.forLog(event.describe()));
            for (ListenerLane<ActionEvent> lane : actionLanes) {
                lane.offer(event);
            }
        }
    }

    @Override
    public AutoCloseable onStatusChange(Consumer<? super StatusChangeEvent> listener) {
        return add(statusLanes, new ListenerLane<>("status", Objects.requireNonNull(listener, "listener"), queueSize,
                dispatcher, dropped));
    }

    @Override
    public AutoCloseable onAction(Consumer<? super ActionEvent> listener) {
        return add(actionLanes, new ListenerLane<>("action", Objects.requireNonNull(listener, "listener"), queueSize,
                dispatcher, dropped));
    }

    private static <E> AutoCloseable add(List<ListenerLane<E>> lanes, ListenerLane<E> lane) {
        lanes.add(lane);
        return () -> {
            lanes.remove(lane);
            lane.close();
        };
    }

    @Override
    public List<OpsEvent> history() {
        synchronized (history) {
            return List.copyOf(new ArrayList<>(history));
        }
    }

    /** Events dropped because a listener's queue was full, since this hub was made. */
    public long droppedCount() {
        return dropped.get();
    }

    // history lock held
    private void remember(OpsEvent event) {
        if (capacity == 0) {
            return;
        }
        if (history.size() == capacity) {
            history.removeFirst();
        }
        history.addLast(event);
    }

    /** Stops taking new deliveries; events already on a lane are still delivered by its thread. */
    @Override
    public void close() {
        dispatcher.shutdown();
    }
}
