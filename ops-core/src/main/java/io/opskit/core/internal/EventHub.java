package io.opskit.core.internal;

import io.opskit.core.ActionEvent;
import io.opskit.core.OpsEvent;
import io.opskit.core.OpsEvents;
import io.opskit.core.Status;
import io.opskit.core.StatusChangeEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listeners, a bounded history and the log line of every event. Listeners live in
 * copy-on-write lists; a listener that throws is logged and skipped, never propagated into the
 * engine.
 */
public final class EventHub implements OpsEvents {

    private static final Logger LOG = LoggerFactory.getLogger("io.opskit.events");

    private final CopyOnWriteArrayList<Consumer<? super StatusChangeEvent>> statusListeners = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Consumer<? super ActionEvent>> actionListeners = new CopyOnWriteArrayList<>();
    private final ArrayDeque<OpsEvent> history;
    private final int capacity;

    /** A hub that keeps the last {@code capacity} events. */
    public EventHub(int capacity) {
        this.capacity = capacity;
        this.history = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** Records a status change: history, log (WARN for worse, INFO for recovery), listeners. */
    public void statusChanged(StatusChangeEvent event) {
        remember(event);
        if (event.to() == Status.PASS) {
            LOG.info("health {}", event.describe());
        } else {
            LOG.warn("health {}", event.describe());
        }
        for (Consumer<? super StatusChangeEvent> l : statusListeners) {
            try {
                l.accept(event);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("status listener {} failed on {}; skipped: {}", l, event.check(), io.opskit.core.Result.describe(e));
            }
        }
    }

    @Override
    public void publish(ActionEvent event) {
        remember(event);
        LOG.info("action {}", event.describe());
        for (Consumer<? super ActionEvent> l : actionListeners) {
            try {
                l.accept(event);
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("action listener {} failed on {}; skipped: {}", l, event.source(), io.opskit.core.Result.describe(e));
            }
        }
    }

    @Override
    public AutoCloseable onStatusChange(Consumer<? super StatusChangeEvent> listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        statusListeners.add(listener);
        return () -> statusListeners.remove(listener);
    }

    @Override
    public AutoCloseable onAction(Consumer<? super ActionEvent> listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        actionListeners.add(listener);
        return () -> actionListeners.remove(listener);
    }

    @Override
    public List<OpsEvent> history() {
        synchronized (history) {
            return List.copyOf(new ArrayList<>(history));
        }
    }

    private void remember(OpsEvent event) {
        if (capacity == 0) {
            return;
        }
        synchronized (history) {
            if (history.size() == capacity) {
                history.removeFirst();
            }
            history.addLast(event);
        }
    }
}
