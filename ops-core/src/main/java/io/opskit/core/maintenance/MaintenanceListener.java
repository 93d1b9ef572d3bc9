package io.opskit.core.maintenance;

/**
 * Told when maintenance mode changes. Called on the thread that made the change (an operator
 * call, the flag-file poller, the store's subscription thread), in order; an exception it
 * throws is logged and skipped.
 */
@FunctionalInterface
public interface MaintenanceListener {

    /**
     * Maintenance mode changed.
     *
     * @param previous the state before
     * @param current  the state now
     */
    void onChange(MaintenanceState previous, MaintenanceState current);
}
