package io.opskit.core.maintenance;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where a maintenance-mode state is kept beyond this process, so a whole fleet switches
 * together (ops-redis provides one backed by a Redis key and a pub/sub channel).
 */
@SuppressWarnings("try") // close() may throw any Exception: stores wrap clients (Lettuce, JDBC) whose close does
public interface MaintenanceStore extends AutoCloseable {

    /** Reads the shared state; empty when none was ever written. */
    Optional<MaintenanceState> read() throws Exception;

    /** Writes the shared state and notifies every subscriber in the fleet. */
    void write(MaintenanceState state) throws Exception;

    /**
     * Subscribes to changes made by any instance. The listener is called on a thread of the
     * store; an exception it throws is logged and ignored.
     *
     * @return a handle that unsubscribes when closed
     */
    AutoCloseable subscribe(Consumer<MaintenanceState> listener) throws Exception;

    /** Releases the store's resources; the default does nothing. */
    @Override
    default void close() throws Exception {
    }
}
