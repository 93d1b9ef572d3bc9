package io.opskit.jdbc;

import javax.sql.DataSource;

/**
 * Instruments a {@link DataSource} once for both the {@link LeakTracker} and the {@link QueryMonitor};
 * each is then attached to {@link io.opskit.core.Ops} like every other component:
 *
 * <pre>{@code
 * LeakTracker leaks = LeakTracker.create();
 * QueryMonitor queries = QueryMonitor.create();
 * DataSource app = JdbcOps.instrument(hikari, leaks, queries);   // hand this to the application
 * ops.attach(DatabaseChecks.postgres(hikari), leaks, queries, watchdog);
 * }</pre>
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
}
