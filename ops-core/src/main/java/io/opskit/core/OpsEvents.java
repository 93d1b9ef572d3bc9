package io.opskit.core;

import java.util.List;
import java.util.function.Consumer;

/**
 * The event stream of an {@link Ops} instance: typed listeners for status changes and actions,
 * and a bounded history of the most recent events. Adapters publish their remediation actions
 * here so they are audited with everything else.
 */
public interface OpsEvents {

    /** An event sink that drops everything; for components used without an {@link Ops}. */
    OpsEvents NOOP = new OpsEvents() {
        @Override
        public void publish(ActionEvent event) {
        }

        @Override
        public AutoCloseable onStatusChange(Consumer<? super StatusChangeEvent> listener) {
            return () -> { };
        }

        @Override
        public AutoCloseable onAction(Consumer<? super ActionEvent> listener) {
            return () -> { };
        }

        @Override
        public List<OpsEvent> history() {
            return List.of();
        }
    };

    /**
     * An event stream kept in memory, with listeners and a history of the last
     * {@code historySize} events: for components used without an {@link Ops}, and for tests.
     */
    static OpsEvents inMemory(int historySize) {
        if (historySize < 0) {
            throw new IllegalArgumentException("historySize must be zero or positive, but was " + historySize + ": use e.g. 200");
        }
        return new io.opskit.core.internal.EventHub(historySize);
    }

    /** Records an action: to listeners, to the history, and to the log at INFO. */
    void publish(ActionEvent event);

    /**
     * Adds a listener for status changes. A listener that throws is logged and skipped.
     *
     * @return a handle that removes the listener when closed
     */
    AutoCloseable onStatusChange(Consumer<? super StatusChangeEvent> listener);

    /**
     * Adds a listener for actions. A listener that throws is logged and skipped.
     *
     * @return a handle that removes the listener when closed
     */
    AutoCloseable onAction(Consumer<? super ActionEvent> listener);

    /** The most recent events, oldest first. */
    List<OpsEvent> history();
}
