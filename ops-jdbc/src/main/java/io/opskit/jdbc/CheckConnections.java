package io.opskit.jdbc;

import io.opskit.core.Result;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Where opskit's database checks get their connection, and how they name a failure. A check of a
 * pool tracked by {@link PoolSessions} opens its own session outside the pool, the way the pool
 * opens its own: an exhausted pool is then reported by the pool watchdog, never as "database down",
 * and a check adds no waiter to a pool that has none to spare. When the database cannot be reached,
 * the cause is named from the exception chain (connection refused, authentication failed, timed
 * out, unknown host) instead of the pool's "request timed out".
 */
final class CheckConnections {

    private CheckConnections() {
    }

    /** A connection for one check run: outside the pool when it is tracked, else borrowed from {@code dataSource}. */
    static Connection open(DataSource dataSource) throws SQLException {
        Optional<TrackingDataSource> tracked = TrackingDataSource.find(dataSource);
        return tracked.isPresent() ? tracked.get().connectOutsidePool() : dataSource.getConnection();
    }

    /** Whether checks of {@code dataSource} connect outside its pool. */
    static boolean outsidePool(DataSource dataSource) {
        return TrackingDataSource.find(dataSource).isPresent();
    }

    /**
     * The result of a check that could not get a connection: the root cause named first. Without a
     * named cause, a pool's own timeout says only that the pool gave nothing (exhausted, or the
     * database down): tracking the pool tells the two apart.
     */
    static Result unreachable(SQLException e) {
        Optional<String> cause = rootCause(e);
        String prefix = cause.map(c -> "database unreachable: " + c + ": ")
                .orElse(e instanceof SQLTransientConnectionException
                        ? "the pool gave no connection in time (exhausted, or the database is down; "
                        + "PoolSessions.track(config) lets checks connect outside the pool and tell): "
                        : "database unreachable: ");
        Result r = Result.fail(prefix + Result.describe(e));
        return e.getSQLState() == null ? r : r.withDetail("sqlState", e.getSQLState());
    }

    /** The root cause of a failure to reach the database, in a few words, if the chain says. */
    static Optional<String> rootCause(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().equals("28P01") || sql.getSQLState().equals("28000"))) {
                return Optional.of("authentication failed");
            }
            if (t instanceof ConnectException) {
                return Optional.of("connection refused");
            }
            if (t instanceof UnknownHostException) {
                return Optional.of("unknown host");
            }
            if (t instanceof NoRouteToHostException) {
                return Optional.of("no route to host");
            }
            if (t instanceof SocketTimeoutException || t instanceof SQLTimeoutException) {
                return Optional.of("timed out");
            }
        }
        return Optional.empty();
    }
}
