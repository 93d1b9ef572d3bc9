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
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Long-running transactions and lock waits on a PostgreSQL server: the age of the oldest open
 * transaction of a client backend (WARN at 5 minutes, FAIL at 30 by default) and the number of
 * backends waiting on a lock (WARN at 5, FAIL at 20). The observed value is the oldest
 * transaction's age in seconds; details name its pid, user, application and state (never its
 * query text).
 */
public final class PostgresTransactionsCheck implements HealthCheck {

    /** Default check name. */
    public static final String DEFAULT_NAME = "postgres:transactions";
    /** Default age of the oldest transaction that WARNs. */
    public static final Duration DEFAULT_WARN_AGE = Duration.ofMinutes(5);
    /** Default age of the oldest transaction that FAILs. */
    public static final Duration DEFAULT_FAIL_AGE = Duration.ofMinutes(30);
    /** Default number of lock waiters that WARNs. */
    public static final int DEFAULT_WARN_LOCK_WAITERS = 5;
    /** Default number of lock waiters that FAILs. */
    public static final int DEFAULT_FAIL_LOCK_WAITERS = 20;
    /** Default query timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    static final String SQL = "WITH a AS (SELECT pid, usename, application_name, state, xact_start, wait_event_type, state_change"
            + " FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()),"
            + " o AS (SELECT pid, usename, application_name, state,"
            + " (extract(epoch FROM now() - xact_start) * 1000)::bigint AS age_ms"
            + " FROM a WHERE xact_start IS NOT NULL ORDER BY xact_start LIMIT 1)"
            + " SELECT o.pid, o.usename, o.application_name, o.state, o.age_ms,"
            + " (SELECT count(*) FROM a WHERE wait_event_type = 'Lock') AS lock_waiters,"
            + " (SELECT (extract(epoch FROM max(now() - state_change)) * 1000)::bigint FROM a WHERE wait_event_type = 'Lock')"
            + " AS longest_lock_wait_ms"
            + " FROM (SELECT 1) one LEFT JOIN o ON true";

    private final DataSource dataSource;
    private final String name;
    private final Duration warnAge;
    private final Duration failAge;
    private final int warnLockWaiters;
    private final int failLockWaiters;
    private final Duration timeout;
    private final Duration interval;

    private PostgresTransactionsCheck(Builder b) {
        this.dataSource = b.dataSource;
        this.name = b.name;
        this.warnAge = b.warnAge;
        this.failAge = b.failAge;
        this.warnLockWaiters = b.warnLockWaiters;
        this.failLockWaiters = b.failLockWaiters;
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
                long ageMs = rs.getLong("age_ms");
                boolean anyTransaction = !rs.wasNull();
                long waiters = rs.getLong("lock_waiters");
                long longestWaitMs = rs.getLong("longest_lock_wait_ms");
                Status status = Status.PASS;
                List<String> concerns = new ArrayList<>();
                if (anyTransaction && ageMs >= warnAge.toMillis()) {
                    status = ageMs >= failAge.toMillis() ? Status.FAIL : Status.WARN;
                    concerns.add("oldest transaction open for " + Duration.ofMillis(ageMs).withNanos(0)
                            + " (pid " + rs.getLong("pid") + ", user " + rs.getString("usename") + ")");
                }
                if (waiters >= warnLockWaiters) {
                    status = status.worst(waiters >= failLockWaiters ? Status.FAIL : Status.WARN);
                    concerns.add(waiters + " backends waiting on a lock");
                }
                Result r = Result.of(status, String.join("; ", concerns))
                        .withObservedValue(anyTransaction ? ageMs / 1000 : 0L, "s")
                        .withDetail("lockWaiters", waiters)
                        .withDetail("longestLockWaitMs", longestWaitMs);
                if (anyTransaction) {
                    r = r.withDetail("oldestTransactionMs", ageMs)
                            .withDetail("oldestPid", rs.getLong("pid"))
                            .withDetail("oldestUser", String.valueOf(rs.getString("usename")))
                            .withDetail("oldestApplication", String.valueOf(rs.getString("application_name")))
                            .withDetail("oldestState", String.valueOf(rs.getString("state")));
                }
                return r;
            }
        }
    }

    /** The check name. */
    public String name() {
        return name;
    }

    /** A registration builder preset for this check (component type {@code datastore}, readiness, non-critical). */
    public CheckRegistration.Builder registrationBuilder() {
        return CheckRegistration.builder(name, this).componentType("datastore").interval(interval).critical(false)
                .timeout(timeout.plusSeconds(1));
    }

    /** A ready registration of this check; see {@link #registrationBuilder()}. */
    public CheckRegistration registration() {
        return registrationBuilder().build();
    }

    /** Validating builder of a {@link PostgresTransactionsCheck}. */
    public static final class Builder {
        private final DataSource dataSource;
        private String name = DEFAULT_NAME;
        private Duration warnAge = DEFAULT_WARN_AGE;
        private Duration failAge = DEFAULT_FAIL_AGE;
        private int warnLockWaiters = DEFAULT_WARN_LOCK_WAITERS;
        private int failLockWaiters = DEFAULT_FAIL_LOCK_WAITERS;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration interval = CheckRegistration.DEFAULT_INTERVAL;

        private Builder(DataSource dataSource) {
            this.dataSource = Require.notNull("dataSource", dataSource);
        }

        /** The check name; default {@value PostgresTransactionsCheck#DEFAULT_NAME}. */
        public Builder name(String value) {
            this.name = Require.name("name", value, DEFAULT_NAME);
            return this;
        }

        /** Age of the oldest open transaction that WARNs; default 5 minutes. */
        public Builder warnAge(Duration value) {
            this.warnAge = Require.positive("warnAge", value, "Duration.ofMinutes(5)");
            return this;
        }

        /** Age of the oldest open transaction that FAILs; default 30 minutes. */
        public Builder failAge(Duration value) {
            this.failAge = Require.positive("failAge", value, "Duration.ofMinutes(30)");
            return this;
        }

        /** Number of backends waiting on a lock that WARNs; default 5. */
        public Builder warnLockWaiters(int value) {
            this.warnLockWaiters = Require.atLeast("warnLockWaiters", value, 1, "5");
            return this;
        }

        /** Number of backends waiting on a lock that FAILs; default 20. */
        public Builder failLockWaiters(int value) {
            this.failLockWaiters = Require.atLeast("failLockWaiters", value, 1, "20");
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

        /** Builds the check; WARN thresholds must not exceed FAIL thresholds. */
        public PostgresTransactionsCheck build() {
            if (warnAge.compareTo(failAge) > 0) {
                throw new IllegalArgumentException("warnAge must not exceed failAge, but was " + warnAge + " > " + failAge
                        + ": use e.g. warnAge(Duration.ofMinutes(5)).failAge(Duration.ofMinutes(30))");
            }
            if (warnLockWaiters > failLockWaiters) {
                throw new IllegalArgumentException("warnLockWaiters must not exceed failLockWaiters, but was "
                        + warnLockWaiters + " > " + failLockWaiters + ": use e.g. warnLockWaiters(5).failLockWaiters(20)");
            }
            return new PostgresTransactionsCheck(this);
        }
    }
}
