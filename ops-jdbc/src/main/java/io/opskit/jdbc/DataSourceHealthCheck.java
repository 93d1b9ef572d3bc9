package io.opskit.jdbc;

import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Borrows a connection and validates it, with {@link Connection#isValid(int)} under a real
 * timeout (never {@code isValid(0)}) or with a validation query under a query timeout. The
 * observed value is the validation round trip in milliseconds; details name the database
 * product and version and the (redacted) URL.
 *
 * <pre>{@code
 * DataSourceHealthCheck db = DataSourceHealthCheck.builder(dataSource).timeout(Duration.ofSeconds(2)).build();
 * ops.register(db.registration());   // "db:connection", component type "datastore", readiness
 * }</pre>
 *
 * <p>For a pool tracked by {@link PoolSessions}, the check connects outside the pool, the way the
 * pool opens its own sessions: an exhausted pool is the pool watchdog's finding, never "database
 * down", and the check adds no waiter. When the database cannot be reached, the output names the
 * cause first ("database unreachable: connection refused", "authentication failed", "timed out").
 *
 * <p>Borrowing itself is bounded by the pool or driver (HikariCP's {@code connectionTimeout}, pgjdbc's
 * {@code connectTimeout}); the engine's deadline of {@link #registration()} bounds it in any case.
 */
public final class DataSourceHealthCheck implements HealthCheck {

    /** Default check name. */
    public static final String DEFAULT_NAME = "db:connection";
    /** Default validation timeout: 2 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(DataSourceHealthCheck.class);

    private final DataSource dataSource;
    private final boolean outsidePool;
    private final String name;
    private final Duration timeout;
    private final Duration interval;
    private final String validationQuery;
    private final ValidationListener listener;
    private volatile Product product;

    private DataSourceHealthCheck(Builder b) {
        this.dataSource = b.dataSource;
        this.outsidePool = CheckConnections.outsidePool(b.dataSource);
        this.name = b.name;
        this.timeout = b.timeout;
        this.interval = b.interval;
        this.validationQuery = b.validationQuery;
        this.listener = b.listener;
    }

    /** Starts a check of {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** A check of {@code dataSource} with the defaults. */
    public static DataSourceHealthCheck of(DataSource dataSource) {
        return builder(dataSource).build();
    }

    @Override
    public Result check() {
        long start = System.nanoTime();
        Connection opened;
        try {
            opened = CheckConnections.open(dataSource);     // outside a tracked pool: its exhaustion is the watchdog's
        } catch (SQLException | RuntimeException e) {
            notify(false);
            Result failed = (e instanceof SQLException sql ? CheckConnections.unreachable(sql) : Result.fail(e))
                    .withObservedValue(millis(System.nanoTime() - start), "ms");
            Product p = product;
            return p == null ? failed : failed.withDetail("database", p.name).withDetail("url", p.url);
        }
        try (Connection connection = opened) {
            long borrowed = System.nanoTime();
            boolean valid = validate(connection);
            long done = System.nanoTime();
            Product p = product(connection);
            Result result = valid
                    ? Result.pass()
                    : Result.fail("connection is not valid: isValid(" + Require.jdbcSeconds(timeout) + "s) returned false");
            notify(valid);
            return result.withObservedValue(millis(done - borrowed), "ms")
                    .withDetail("borrowMs", millis(borrowed - start))
                    .withDetail("connection", outsidePool ? "outside the pool" : "from the pool")
                    .withDetail("database", p.name)
                    .withDetail("version", p.version)
                    .withDetail("url", p.url);
        } catch (SQLException | RuntimeException e) {
            notify(false);
            Result failed = Result.fail(e).withObservedValue(millis(System.nanoTime() - start), "ms");
            if (e instanceof SQLException && ((SQLException) e).getSQLState() != null) {
                failed = failed.withDetail("sqlState", ((SQLException) e).getSQLState());
            }
            Product p = product;
            return p == null ? failed : failed.withDetail("database", p.name).withDetail("url", p.url);
        }
    }

    /** The check name, {@value #DEFAULT_NAME} unless changed. */
    public String name() {
        return name;
    }

    /**
     * A registration builder preset for this check (component type {@code datastore}, readiness,
     * the engine's deadline one second above the validation timeout), for further settings.
     */
    public CheckRegistration.Builder registrationBuilder() {
        return CheckRegistration.builder(name, this).componentType("datastore").interval(interval).timeout(timeout.plusSeconds(1));
    }

    /** A ready registration of this check; see {@link #registrationBuilder()}. */
    public CheckRegistration registration() {
        return registrationBuilder().build();
    }

    private boolean validate(Connection connection) throws SQLException {
        int seconds = Require.jdbcSeconds(timeout);
        if (validationQuery == null) {
            return connection.isValid(seconds);
        }
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout(seconds);
            statement.execute(validationQuery);
            return true;
        }
    }

    private void notify(boolean valid) {
        try {
            listener.onValidation(valid);
        } catch (RuntimeException e) {
            LOG.warn("validation listener of {} failed: {}", name, Redactor.redact(String.valueOf(e)));
        }
    }

    private Product product(Connection connection) {
        Product p = product;
        if (p == null) {
            try {
                DatabaseMetaData md = connection.getMetaData();
                p = new Product(md.getDatabaseProductName(), md.getDatabaseProductVersion(), Redactor.redact(md.getURL()));
            } catch (SQLException e) {
                p = new Product("unknown", "unknown", "unknown");
            }
            product = p;
        }
        return p;
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    private static final class Product {
        final String name;
        final String version;
        final String url;

        Product(String name, String version, String url) {
            this.name = name == null ? "unknown" : name;
            this.version = version == null ? "unknown" : version;
            this.url = url == null || url.isEmpty() ? "unknown" : url;
        }
    }

    /** Validating builder of a {@link DataSourceHealthCheck}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String name = DEFAULT_NAME;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration interval = CheckRegistration.DEFAULT_INTERVAL;
        private String validationQuery;
        private ValidationListener listener = ValidationListener.NOOP;

        private Builder(DataSource dataSource) {
            this.dataSource = Require.notNull("dataSource", dataSource);
        }

        /** The check name, {@code component:measurement}; default {@value DataSourceHealthCheck#DEFAULT_NAME}. */
        public Builder name(String value) {
            this.name = Require.name("name", value, "postgres:connection");
            return this;
        }

        /** How often the engine runs the check (default {@link CheckRegistration#DEFAULT_INTERVAL}, 10 s). */
        public Builder interval(Duration value) {
            this.interval = Require.positive("interval", value, "Duration.ofSeconds(10)");
            return this;
        }

        /** The validation timeout (rounded up to whole seconds for JDBC); default 2 s. */
        public Builder timeout(Duration value) {
            this.timeout = Require.positive("timeout", value, "Duration.ofSeconds(2)");
            return this;
        }

        /** Validate with this query (under the timeout as query timeout) instead of {@code isValid}. */
        public Builder validationQuery(String sql) {
            if (sql == null || sql.isBlank()) {
                throw new IllegalArgumentException("validationQuery must not be blank, but was '" + sql
                        + "': use e.g. 'SELECT 1', or leave it unset to use Connection.isValid");
            }
            this.validationQuery = sql;
            return this;
        }

        /** Told the outcome of every validation (e.g. {@link HikariPoolWatchdog#validationListener()}). */
        public Builder listener(ValidationListener value) {
            this.listener = Require.notNull("listener", value);
            return this;
        }

        /** Builds the check. */
        public DataSourceHealthCheck build() {
            return new DataSourceHealthCheck(this);
        }
    }

    @Override
    public String toString() {
        return "DataSourceHealthCheck{" + name + ", timeout=" + timeout
                + Optional.ofNullable(validationQuery).map(q -> ", query=" + q).orElse("") + '}';
    }
}
