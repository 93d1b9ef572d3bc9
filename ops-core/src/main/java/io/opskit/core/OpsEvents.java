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
