package io.opskit.jdbc;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import java.util.List;
import javax.sql.DataSource;

/**
 * Wiring helpers for the common cases, so a whole database setup fits on a few lines:
 *
 * <pre>{@code
 * LeakTracker leaks = LeakTracker.create();
 * QueryMonitor queries = QueryMonitor.create();
 * DataSource app = JdbcOps.instrument(hikari, leaks, queries);   // hand this to the application
 * JdbcOps.registerPostgres(ops, hikari);                         // db:connection, postgres:connections, postgres:transactions
 * JdbcOps.register(ops, leaks);                                  // db:connectionLeaks + its meters
 * JdbcOps.register(ops, queries);                                // db:responseTime + opskit.db.query
 * }</pre>
 *
 * Every piece is also usable without {@link Ops}: each check is a plain
 * {@link io.opskit.core.HealthCheck} with a ready {@link CheckRegistration}.
 */
public final class JdbcOps {

    private JdbcOps() {
    }

    /**
     * One datasource-proxy wrapper of {@code dataSource} carrying both the leak tracker and the
     * query monitor (cheaper than wrapping twice).
     */
    public static DataSource instrument(DataSource dataSource, LeakTracker leakTracker, QueryMonitor queryMonitor) {
        return Proxies.wrap(Require.notNull("dataSource", dataSource), Require.notNull("queryMonitor", queryMonitor),
                Require.notNull("leakTracker", leakTracker));
    }

    /** Registers {@code db:connection} ({@link DataSourceHealthCheck} with its defaults) with {@code ops}. */
    public static List<CheckRegistration> register(Ops ops, DataSource dataSource) {
        return registerAll(ops, List.of(DataSourceHealthCheck.of(dataSource).registration()));
    }

    /**
     * Registers {@code db:connection}, {@code postgres:connections} and {@code postgres:transactions}
     * with their defaults; the checks query through {@code dataSource}.
     */
    public static List<CheckRegistration> registerPostgres(Ops ops, DataSource dataSource) {
        return registerAll(ops, List.of(DataSourceHealthCheck.of(dataSource).registration(),
                PostgresConnectionsCheck.builder(dataSource).build().registration(),
                PostgresTransactionsCheck.builder(dataSource).build().registration()));
    }

    /** Binds the monitor's meters to {@code ops.meterRegistry()} and registers {@code db:responseTime}. */
    public static CheckRegistration register(Ops ops, QueryMonitor monitor) {
        monitor.bindTo(ops.meterRegistry());
        return registerAll(ops, List.of(monitor.registration())).get(0);
    }

    /** Binds the tracker's meters to {@code ops.meterRegistry()} and registers {@code db:connectionLeaks}. */
    public static CheckRegistration register(Ops ops, LeakTracker tracker) {
        tracker.bindTo(ops.meterRegistry());
        return registerAll(ops, List.of(tracker.registration())).get(0);
    }

    /**
     * Binds the reaper's meters to {@code ops.meterRegistry()} and registers its check (build the
     * reaper with {@code .events(ops.events())} so its terminations are audited; start it yourself).
     */
    public static CheckRegistration register(Ops ops, IdleConnectionReaper reaper) {
        reaper.bindTo(ops.meterRegistry());
        return registerAll(ops, List.of(reaper.registration())).get(0);
    }

    private static List<CheckRegistration> registerAll(Ops ops, List<CheckRegistration> registrations) {
        Require.notNull("ops", ops);
        registrations.forEach(ops::register);
        return registrations;
    }
}
