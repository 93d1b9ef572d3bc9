package io.opskit.redis;

import io.opskit.core.ActionEvent;
import io.opskit.core.OpsEvent;
import io.opskit.core.OpsEvents;
import io.opskit.core.StatusChangeEvent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** An event sink that keeps what was published, for assertions. */
final class RecordingEvents implements OpsEvents {

    final List<ActionEvent> actions = new CopyOnWriteArrayList<>();

    @Override
    public void publish(ActionEvent event) {
        actions.add(event);
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
        return List.copyOf(actions);
    }
}
