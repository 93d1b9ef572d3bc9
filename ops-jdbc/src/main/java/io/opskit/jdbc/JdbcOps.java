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
 * JdbcOps.register(ops, leaks);                                  // db:connectionLeaks + its meters + /ops/leaks
 * JdbcOps.register(ops, queries);                                // db:responseTime + opskit.db.query + /ops/slow-queries
 * JdbcOps.register(ops, watchdog);                               // hikari:utilization + /ops/pool
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

    /**
     * Binds the monitor's meters to {@code ops.meterRegistry()}, registers {@code db:responseTime}
     * and contributes {@code /ops/slow-queries} to the operations surface.
     */
    public static CheckRegistration register(Ops ops, QueryMonitor monitor) {
        monitor.bindTo(ops.meterRegistry());
        CheckRegistration r = registerAll(ops, List.of(monitor.registration())).get(0);
        JdbcEndpoints.contribute(ops, JdbcEndpoints.slowQueries(monitor));
        return r;
    }

    /**
     * Binds the tracker's meters to {@code ops.meterRegistry()}, registers {@code db:connectionLeaks}
     * and contributes {@code /ops/leaks} to the operations surface.
     */
    public static CheckRegistration register(Ops ops, LeakTracker tracker) {
        tracker.bindTo(ops.meterRegistry());
        CheckRegistration r = registerAll(ops, List.of(tracker.registration())).get(0);
        JdbcEndpoints.contribute(ops, JdbcEndpoints.leaks(tracker));
        return r;
    }

    /**
     * Registers the watchdog's check ({@code hikari:utilization}) and contributes {@code /ops/pool}
     * to the operations surface (start the watchdog yourself).
     */
    public static CheckRegistration register(Ops ops, HikariPoolWatchdog watchdog) {
        CheckRegistration r = registerAll(ops, List.of(watchdog.registration())).get(0);
        JdbcEndpoints.contribute(ops, JdbcEndpoints.pool(watchdog));
        return r;
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
