package io.opskit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.util.DriverDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-side session ids (PostgreSQL {@code pg_backend_pid()}, MySQL/MariaDB
 * {@code CONNECTION_ID()}) of every physical connection a pool holds, recorded the moment the pool
 * opens it, so an {@link IdleConnectionReaper} built on the pool can tell the pool's sessions apart
 * from everyone else's without trusting a name a foreign session could also take. Connections idle
 * in the pool and never borrowed are known too: the id is read when the connection is created, not
 * when it is borrowed.
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * config.setJdbcUrl("jdbc:postgresql://db/orders");
 * config.setUsername("orders");
 * config.setPassword(secret);
 * PoolSessions.track(config);                        // before the pool is built
 * HikariDataSource pool = new HikariDataSource(config);
 * IdleConnectionReaper reaper = IdleConnectionReaper.builder(pool).build();   // protects the pool's sessions
 * }</pre>
 *
 * <p>The price: one {@code SELECT pg_backend_pid(), current_user, current_database()} (or its
 * MySQL form) per physical connection the pool opens, nothing per borrow or per statement; the pool's
 * connections are not wrapped. The physical data source also gives the reaper a connection of its
 * own, outside the pool, so a reaper run never waits in an exhausted pool.
 */
public final class PoolSessions {

    private static final Logger LOG = LoggerFactory.getLogger(PoolSessions.class);

    // weak keys: a connection the pool closed and dropped needs no protection; closed ones are pruned on read
    private final Map<Connection, Session> sessions = Collections.synchronizedMap(new WeakHashMap<>());
    private volatile String role = "";
    private volatile String database = "";
    private volatile Optional<String> unidentified = Optional.empty();

    PoolSessions() {
    }

    /**
     * Makes the Hikari pool built from {@code config} open its connections through a tracking data
     * source: call it after setting the JDBC URL (or data source), username, password and every data source
     * property ({@code addDataSourceProperty}: they are copied now), and before
     * {@code new HikariDataSource(config)}. Works with {@code jdbcUrl} (the driver connects as Hikari
     * itself would) and with {@code setDataSource(...)}.
     *
     * @return {@code config}, for chaining
     * @throws IllegalArgumentException if the config uses {@code dataSourceClassName} or JNDI, or is tracked already
     */
    public static HikariConfig track(HikariConfig config) {
        Require.notNull("config", config);
        DataSource current = config.getDataSource();
        if (current instanceof TrackingDataSource) {
            throw new IllegalArgumentException("config is tracked already, but PoolSessions.track was called again on "
                    + "pool '" + config.getPoolName() + "': call it once per HikariConfig");
        }
        if (current == null) {
            if (config.getDataSourceClassName() != null || config.getDataSourceJNDI() != null || config.getJdbcUrl() == null) {
                throw new IllegalArgumentException("config must set jdbcUrl or a DataSource to be tracked, but used "
                        + (config.getDataSourceClassName() != null ? "dataSourceClassName " + config.getDataSourceClassName()
                        : config.getDataSourceJNDI() != null ? "JNDI" : "none")
                        + ": set config.setJdbcUrl(...) or config.setDataSource(...) before PoolSessions.track(config)");
            }
            current = new DriverDataSource(config.getJdbcUrl(), config.getDriverClassName(), config.getDataSourceProperties(),
                    config.getUsername(), config.getPassword());
        }
        config.setDataSource(new TrackingDataSource(current, new PoolSessions()));
        return config;
    }

    /**
     * Wraps the data source a pool opens its physical connections from (for pools other than
     * Hikari: give the result to the pool as its connection factory). The reaper finds the tracking
     * through the pool's {@code unwrap}, so build it on the pool.
     */
    public static DataSource track(DataSource physical) {
        Require.notNull("physical", physical);
        if (physical instanceof TrackingDataSource) {
            throw new IllegalArgumentException("physical is tracked already, but PoolSessions.track was called again: "
                    + "call it once per pool");
        }
        return new TrackingDataSource(physical, new PoolSessions());
    }

    /** The tracking of {@code pool} (a pool built on a tracked data source), if it has one. */
    public static Optional<PoolSessions> of(DataSource pool) {
        return TrackingDataSource.find(Require.notNull("pool", pool)).map(TrackingDataSource::sessions);
    }

    /** The session ids of the pool's open physical connections, ascending. */
    public Set<Long> sessionIds() {
        Set<Long> ids = new TreeSet<>();
        synchronized (sessions) {
            sessions.entrySet().removeIf(e -> isClosed(e.getKey()));
            sessions.values().forEach(s -> ids.add(s.id()));
        }
        return Collections.unmodifiableSet(ids);
    }

    /** The role (user) the pool's connections log in as, once one was opened; empty before. */
    public String role() {
        return role;
    }

    /** The database (schema on MySQL) the pool's connections use, once one was opened; empty before. */
    public String database() {
        return database;
    }

    /**
     * Why a pooled connection could not be identified, if one could not: a reaper then refuses to run
     * rather than guess.
     */
    public Optional<String> unidentified() {
        return unidentified;
    }

    /** Called by the tracking data source for every physical connection it opens. */
    void opened(Connection connection) {
        try {
            Session s = SessionIdentity.of(connection);
            sessions.put(connection, s);
            role = s.role();
            database = s.database();
        } catch (SQLException | RuntimeException e) {
            String why = io.opskit.core.Result.describe(e);
            if (unidentified.isEmpty()) {
                LOG.warn("a pooled connection could not be identified; the idle-connection reaper will not run: {}", why);
            }
            unidentified = Optional.of(why);
        }
    }

    private static boolean isClosed(Connection c) {
        try {
            return c.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** One physical session: its server id, role and database. */
    record Session(long id, String role, String database) {
    }

    @Override
    public String toString() {
        return "PoolSessions{role=" + role + ", database=" + database + ", sessions=" + sessionIds().size() + '}';
    }
}
