package io.opskit.jdbc;

/**
 * Told the outcome of every validation a {@link DataSourceHealthCheck} makes, e.g. so that a
 * {@link HikariPoolWatchdog} can soft-evict a pool after consecutive failures.
 */
@FunctionalInterface
public interface ValidationListener {

    /** A listener that ignores everything. */
    ValidationListener NOOP = valid -> { };

    /**
     * Called after each validation.
     *
     * @param valid whether a connection could be borrowed and validated
     */
    void onValidation(boolean valid);
}
