package io.opskit.jdbc;

import javax.sql.DataSource;

/**
 * Wiring helpers for the common case: one wrapper that tracks leaks and times statements.
 *
 * <pre>{@code
 * LeakTracker leaks = LeakTracker.create();
 * QueryMonitor queries = QueryMonitor.create();
 * DataSource app = JdbcOps.instrument(hikari, leaks, queries);
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
