package io.opskit.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The physical data source of a pool, recording each connection's session with its
 * {@link PoolSessions}. Connections are handed to the pool unwrapped (no per-call overhead). It
 * remembers the credentials the pool connected with, so the reaper can open its own session the same
 * way, outside the pool; they never leave this object and are never logged.
 */
final class TrackingDataSource implements DataSource {

    private final DataSource physical;
    private final PoolSessions sessions;
    private volatile String user;
    private volatile String password;

    TrackingDataSource(DataSource physical, PoolSessions sessions) {
        this.physical = physical;
        this.sessions = sessions;
    }

    static Optional<TrackingDataSource> find(DataSource pool) {
        if (pool instanceof TrackingDataSource t) {
            return Optional.of(t);
        }
        try {
            return pool.isWrapperFor(TrackingDataSource.class) ? Optional.of(pool.unwrap(TrackingDataSource.class)) : Optional.empty();
        } catch (SQLException | RuntimeException e) {
            return Optional.empty();
        }
    }

    PoolSessions sessions() {
        return sessions;
    }

    /** A new session outside the pool, opened as the pool opens its own; not tracked. */
    Connection connectOutsidePool() throws SQLException {
        String u = user;
        return u == null ? physical.getConnection() : physical.getConnection(u, password);
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = physical.getConnection();
        sessions.opened(c);
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        Connection c = physical.getConnection(username, password);
        this.password = password;
        this.user = username;
        sessions.opened(c);
        return c;
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return physical.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        physical.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        physical.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return physical.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return physical.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : physical.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || physical.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "TrackingDataSource{" + physical.getClass().getSimpleName() + '}';
    }
}
