package io.opskit.benchmarks.jmh;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.opskit.jdbc.LeakTracker;
import io.opskit.jdbc.QueryMonitor;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What ops-jdbc's wrappers add (issue 4: under 2 µs per borrow or statement): borrowing a
 * connection from a HikariCP pool with and without the leak tracker, and running a prepared
 * statement with and without the statement timing of the query monitor, against H2 in memory so
 * that the database costs as little as possible and the wrappers' overhead shows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class JdbcWrapperBenchmark {

    private static final String SQL = "SELECT ?";

    private HikariDataSource pool;
    private DataSource tracked;
    private DataSource trackedWithoutStacks;
    private DataSource timed;
    private Connection rawConnection;
    private Connection timedConnection;

    /** Starts H2 in memory behind a small HikariCP pool and wraps it. */
    @Setup(Level.Trial)
    public void setUp() throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(4);
        config.setPoolName("bench");
        pool = new HikariDataSource(config);
        tracked = LeakTracker.create().wrap(pool);
        trackedWithoutStacks = LeakTracker.builder().captureStackTraces(false).build().wrap(pool);
        timed = QueryMonitor.create().wrap(pool);
        rawConnection = pool.getConnection();
        timedConnection = timed.getConnection();
        if (select(rawConnection) != 42 || select(timedConnection) != 42) {
            throw new IllegalStateException("SELECT ? did not return its parameter");
        }
    }

    /** Returns the held connections and closes the pool. */
    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
        rawConnection.close();
        timedConnection.close();
        pool.close();
    }

    /**
     * Borrow and return a pooled connection, no wrapper.
     *
     * @return whether the connection was open
     * @throws SQLException from the pool
     */
    @Benchmark
    public boolean borrowRaw() throws SQLException {
        try (Connection c = pool.getConnection()) {
            return !c.isClosed();
        }
    }

    /**
     * Borrow and return a pooled connection through the leak tracker (records when, where and
     * under which correlation ID it was borrowed).
     *
     * @return whether the connection was open
     * @throws SQLException from the pool
     */
    @Benchmark
    public boolean borrowTracked() throws SQLException {
        try (Connection c = tracked.getConnection()) {
            return !c.isClosed();
        }
    }

    /**
     * The same through a leak tracker that records no borrowing stack trace (time, thread and
     * correlation ID only).
     *
     * @return whether the connection was open
     * @throws SQLException from the pool
     */
    @Benchmark
    public boolean borrowTrackedWithoutStacks() throws SQLException {
        try (Connection c = trackedWithoutStacks.getConnection()) {
            return !c.isClosed();
        }
    }

    /**
     * A prepared statement on a held connection, no wrapper.
     *
     * @return the selected value
     * @throws SQLException from H2
     */
    @Benchmark
    public int statementRaw() throws SQLException {
        return select(rawConnection);
    }

    /**
     * The same statement on a connection of the query monitor (timer, slow-query ring).
     *
     * @return the selected value
     * @throws SQLException from H2
     */
    @Benchmark
    public int statementTimed() throws SQLException {
        return select(timedConnection);
    }

    private static int select(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setInt(1, 42);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
