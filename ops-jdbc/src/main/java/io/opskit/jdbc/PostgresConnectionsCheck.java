package io.opskit.jdbc;

import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * Server-side connection saturation of PostgreSQL ("Database Connections &gt; 90% → P1",
 * "too many clients"): client backends in use divided by the connections clients may open,
 * {@code max_connections} minus {@code superuser_reserved_connections} (and
 * {@code reserved_connections} on PostgreSQL 16+). WARN at 80%, FAIL at 90% by default.
 * Details count backends by state: active, idle, idle in transaction, waiting on a lock.
 */
public final class PostgresConnectionsCheck implements HealthCheck, io.micrometer.core.instrument.binder.MeterBinder {

    /** Default check name. */
    public static final String DEFAULT_NAME = "postgres:connections";
    /** Default WARN threshold: 80% of usable connections. */
    public static final double DEFAULT_WARN_AT = 0.80;
    /** Default FAIL threshold: 90% of usable connections. */
    public static final double DEFAULT_FAIL_AT = 0.90;
    /** Default query timeout: 2 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    static final String SQL = "SELECT current_setting('max_connections')::int AS max_connections,"
            + " current_setting('superuser_reserved_connections')::int AS superuser_reserved,"
            + " coalesce(current_setting('reserved_connections', true), '0')::int AS reserved,"
            + " count(*) AS used,"
            + " count(*) FILTER (WHERE state = 'active') AS active,"
            + " count(*) FILTER (WHERE state = 'idle') AS idle,"
            + " count(*) FILTER (WHERE state LIKE 'idle in transaction%') AS idle_in_transaction,"
            + " count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting_on_lock"
            + " FROM pg_stat_activity WHERE backend_type = 'client backend'";

    private final DataSource dataSource;
    private final String name;
    private final double warnAt;
    private final double failAt;
    private final Duration timeout;
    private final Duration interval;

    private PostgresConnectionsCheck(Builder b) {
        this.dataSource = b.dataSource;
        this.name = b.name;
        this.warnAt = b.warnAt;
        this.failAt = b.failAt;
        this.timeout = b.timeout;
        this.interval = b.interval;
    }

    /** Starts a check that queries through {@code dataSource}. */
    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    @Override
    public Result check() throws SQLException {
        Connection c;
        try {
            c = CheckConnections.open(dataSource);      // outside a tracked pool: an exhausted pool is not a database outage
        } catch (SQLException e) {
            return CheckConnections.unreachable(e);
        }
        try (c; PreparedStatement ps = c.prepareStatement(SQL)) {
            ps.setQueryTimeout(Require.jdbcSeconds(timeout));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                int max = rs.getInt("max_connections");
                int reserved = rs.getInt("superuser_reserved") + rs.getInt("reserved");
                int usable = Math.max(1, max - reserved);
                long used = rs.getLong("used");
                double utilization = (double) used / usable;
                lastUtilization = utilization;
                double percent = Math.round(utilization * 1000) / 10.0;
                Status status = utilization >= failAt ? Status.FAIL : utilization >= warnAt ? Status.WARN : Status.PASS;
                String output = String.format(Locale.ROOT, "%.1f%% of %d usable connections in use (%d active, %d idle, "
                        + "%d idle in transaction)", percent, usable, rs.getLong("active"), rs.getLong("idle"),
                        rs.getLong("idle_in_transaction"));
                return Result.of(status, status == Status.PASS ? "" : output)
                        .withObservedValue(percent, "percent")
                        .withDetail("used", used)
                        .withDetail("usable", usable)
                        .withDetail("maxConnections", max)
                        .withDetail("reserved", reserved)
                        .withDetail("active", rs.getLong("active"))
                        .withDetail("idle", rs.getLong("idle"))
                        .withDetail("idleInTransaction", rs.getLong("idle_in_transaction"))
                        .withDetail("waitingOnLock", rs.getLong("waiting_on_lock"));
            }
        }
    }

    /** Utilization seen by the latest run (0 to 1), NaN before the first; what the gauge shows. */
    private volatile double lastUtilization = Double.NaN;

    /**
     * Binds {@code opskit.db.server.connections.utilization{check}}: the server's connections in
     * use over its usable maximum (0 to 1), as the latest run of this check saw them; NaN before.
     */
    @Override
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("opskit.db.server.connections.utilization", this, c -> c.lastUtilization)
                .description("Database server connections in use over the usable maximum, from the latest check run")
                .tag("check", name).register(registry);
    }

    /** The check name. */
    public String name() {
        return name;
    }

    /** A registration builder preset for this check (component type {@code datastore}, readiness, non-critical). */
    public CheckRegistration.Builder registrationBuilder() {
        // saturation is a warning sign for operators, not a reason to take the instance out of rotation
        return CheckRegistration.builder(name, this).componentType("datastore").interval(interval).critical(false)
                .timeout(timeout.plusSeconds(1));
    }

    /** A ready registration of this check; see {@link #registrationBuilder()}. */
    public CheckRegistration registration() {
        return registrationBuilder().build();
    }

    /** Validating builder of a {@link PostgresConnectionsCheck}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String name = DEFAULT_NAME;
        private double warnAt = DEFAULT_WARN_AT;
        private double failAt = DEFAULT_FAIL_AT;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration interval = CheckRegistration.DEFAULT_INTERVAL;

        private Builder(DataSource dataSource) {
            this.dataSource = Require.notNull("dataSource", dataSource);
        }

        /** The check name; default {@value PostgresConnectionsCheck#DEFAULT_NAME}. */
        public Builder name(String value) {
            this.name = Require.name("name", value, DEFAULT_NAME);
            return this;
        }

        /** Utilization (0..1] at which the check WARNs; default 0.80. */
        public Builder warnAt(double ratio) {
            this.warnAt = Require.ratio("warnAt", ratio, "0.80");
            return this;
        }

        /** Utilization (0..1] at which the check FAILs; default 0.90. */
        public Builder failAt(double ratio) {
            this.failAt = Require.ratio("failAt", ratio, "0.90");
            return this;
        }

        /** How often the engine runs the check (default {@link CheckRegistration#DEFAULT_INTERVAL}, 10 s). */
        public Builder interval(Duration value) {
            this.interval = Require.positive("interval", value, "Duration.ofSeconds(10)");
            return this;
        }

        /** The query timeout; default 2 s. */
        public Builder timeout(Duration value) {
            this.timeout = Require.positive("timeout", value, "Duration.ofSeconds(2)");
            return this;
        }

        /** Builds the check; {@code warnAt} must not exceed {@code failAt}. */
        public PostgresConnectionsCheck build() {
            if (warnAt > failAt) {
                throw new IllegalArgumentException("warnAt must not exceed failAt, but was " + warnAt + " > " + failAt
                        + ": use e.g. warnAt(0.80).failAt(0.90)");
            }
            return new PostgresConnectionsCheck(this);
        }
    }
}
