package io.opskit.core.maintenance;

import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A process-local store standing in for a fleet-wide one: two modes sharing it behave like two instances. */
final class InMemoryStore implements MaintenanceStore {
    private volatile MaintenanceState state;
    private final CopyOnWriteArrayList<Consumer<MaintenanceState>> subscribers = new CopyOnWriteArrayList<>();

    @Override
    public Optional<MaintenanceState> read() {
        return Optional.ofNullable(state);
    }

    @Override
    public void write(MaintenanceState newState) {
        state = newState;
        subscribers.forEach(s -> s.accept(newState));
    }

    @Override
    public AutoCloseable subscribe(Consumer<MaintenanceState> listener) {
        subscribers.add(listener);
        return () -> subscribers.remove(listener);
    }

    @Override
    public void close() {
        subscribers.clear();
    }

    int subscribers() {
        return subscribers.size();
    }
}
