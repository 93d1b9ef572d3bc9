package io.opskit.jdbc;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What an {@link IdleConnectionReaper} terminates, immutable: client sessions of the pool's own
 * database and role (or the named ones) that have been {@code idle} longer than
 * {@link #idleTimeout()} (default 5 minutes) or {@code idle in transaction} longer than
 * {@link #idleInTransactionTimeout()} (default 1 minute), at most {@link #maxTerminationsPerRun()}
 * per run, or none at all in {@link #dryRun()} mode.
 *
 * <p>Safe by default. Never terminated, whatever the config: the reaper's own session and every
 * session of the pool it was built on (known by session id, see {@link PoolSessions}). Terminated
 * only when named explicitly: sessions of other roles ({@link Builder#users(String...)}), superuser
 * sessions (their role named exactly, no glob), replication connections
 * ({@link Builder#reapReplicationConnections(boolean)}), and the backup and restore tools of
 * {@link #PROTECTED_APPLICATIONS} (named exactly in {@link Builder#applications(String...)}).
 *
 * <p>Name patterns are exact names or globs with {@code *} (any run of characters) and {@code ?}
 * (one character), e.g. {@code "batch-*"}; a pattern of wildcards alone is rejected: name what
 * you mean. An empty application include list means every application.
 *
 * <pre>{@code
 * ReaperConfig config = ReaperConfig.builder()
 *         .idleTimeout(Duration.ofMinutes(5)).idleInTransactionTimeout(Duration.ofMinutes(1))
 *         .excludeApplications("pg_dump*", "psql").maxTerminationsPerRun(50).build();
 * }</pre>
 */
public final class ReaperConfig {

    /** Default idle timeout: 5 minutes (the runbook's "idle for more than 5 minutes"). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Default idle-in-transaction timeout: 1 minute. */
    public static final Duration DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofMinutes(1);
    /** Default cap on terminations per run. */
    public static final int DEFAULT_MAX_TERMINATIONS_PER_RUN = 100;
    /** Default interval between scheduled runs. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    /**
     * Application names never terminated unless named exactly in {@link Builder#applications(String...)}:
     * PostgreSQL's backup and restore tools, which a terminated session would abort half-way.
     */
    public static final List<String> PROTECTED_APPLICATIONS = List.of("pg_dump", "pg_dumpall", "pg_restore", "pg_basebackup");
    /** Default timeout of the reaper's statement. */
    public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(10);

    private final Duration idleTimeout;
    private final Duration idleInTransactionTimeout;
    private final boolean terminateIdle;
    private final boolean terminateIdleInTransaction;
    private final List<String> databases;
    private final List<String> users;
    private final List<String> excludedUsers;
    private final List<String> applications;
    private final List<String> excludedApplications;
    private final int maxTerminationsPerRun;
    private final boolean dryRun;
    private final boolean logQueryText;
    private final boolean reapReplicationConnections;
    private final Duration interval;
    private final Duration statementTimeout;

    private ReaperConfig(Builder b) {
        this.idleTimeout = b.idleTimeout;
        this.idleInTransactionTimeout = b.idleInTransactionTimeout;
        this.terminateIdle = b.terminateIdle;
        this.terminateIdleInTransaction = b.terminateIdleInTransaction;
        this.databases = b.databases;
        this.users = b.users;
        this.excludedUsers = b.excludedUsers;
        this.applications = b.applications;
        this.excludedApplications = b.excludedApplications;
        this.maxTerminationsPerRun = b.maxTerminationsPerRun;
        this.dryRun = b.dryRun;
        this.logQueryText = b.logQueryText;
        this.reapReplicationConnections = b.reapReplicationConnections;
        this.interval = b.interval;
        this.statementTimeout = b.statementTimeout;
    }

    /** A builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults. */
    public static ReaperConfig defaults() {
        return builder().build();
    }

    /** A builder that starts from this configuration. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.idleTimeout = idleTimeout;
        b.idleInTransactionTimeout = idleInTransactionTimeout;
        b.terminateIdle = terminateIdle;
        b.terminateIdleInTransaction = terminateIdleInTransaction;
        b.databases = databases;
        b.users = users;
        b.excludedUsers = excludedUsers;
        b.applications = applications;
        b.excludedApplications = excludedApplications;
        b.maxTerminationsPerRun = maxTerminationsPerRun;
        b.dryRun = dryRun;
        b.logQueryText = logQueryText;
        b.reapReplicationConnections = reapReplicationConnections;
        b.interval = interval;
        b.statementTimeout = statementTimeout;
        return b;
    }

    /** How long a session may stay {@code idle}. */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long a session may stay {@code idle in transaction} (aborted or not). */
    public Duration idleInTransactionTimeout() {
        return idleInTransactionTimeout;
    }

    /** Whether idle sessions are terminated at all. */
    public boolean terminateIdle() {
        return terminateIdle;
    }

    /** Whether idle-in-transaction sessions are terminated at all. */
    public boolean terminateIdleInTransaction() {
        return terminateIdleInTransaction;
    }

    /** The databases in scope; empty means the pool's database (the one the reaper connects to). */
    public List<String> databases() {
        return databases;
    }

    /** Role (user) name patterns in scope; empty means the pool's own role only. */
    public List<String> users() {
        return users;
    }

    /** User name patterns never terminated. */
    public List<String> excludedUsers() {
        return excludedUsers;
    }

    /** Application name patterns in scope; empty means all. */
    public List<String> applications() {
        return applications;
    }

    /** Application name patterns never terminated. */
    public List<String> excludedApplications() {
        return excludedApplications;
    }

    /** The most sessions terminated in one run; the oldest go first. */
    public int maxTerminationsPerRun() {
        return maxTerminationsPerRun;
    }

    /** Whether runs only report what they would terminate. */
    public boolean dryRun() {
        return dryRun;
    }

    /** Whether idle replication connections (walsenders) may be terminated; default false. */
    public boolean reapReplicationConnections() {
        return reapReplicationConnections;
    }

    /** The roles named without wildcards: only these may have their superuser sessions terminated. */
    List<String> exactUsers() {
        return users.stream().filter(u -> u.indexOf('*') < 0 && u.indexOf('?') < 0).toList();
    }

    /** {@link #PROTECTED_APPLICATIONS} less those named exactly in {@link #applications()}. */
    List<String> protectedApplications() {
        return PROTECTED_APPLICATIONS.stream().filter(a -> !applications.contains(a)).toList();
    }

    /** Whether the last query text of a terminated session is logged (off: it may hold personal data). */
    public boolean logQueryText() {
        return logQueryText;
    }

    /** The time between scheduled runs. */
    public Duration interval() {
        return interval;
    }

    /** The timeout of the reaper's one statement. */
    public Duration statementTimeout() {
        return statementTimeout;
    }

    @Override
    public String toString() {
        return "ReaperConfig{idle=" + (terminateIdle ? idleTimeout : "off")
                + ", idleInTransaction=" + (terminateIdleInTransaction ? idleInTransactionTimeout : "off")
                + ", databases=" + (databases.isEmpty() ? "pool's" : databases) + ", users=" + (users.isEmpty() ? "pool's" : users)
                + ", excludedUsers=" + excludedUsers + ", applications=" + applications
                + ", excludedApplications=" + excludedApplications + ", cap=" + maxTerminationsPerRun
                + ", replication=" + reapReplicationConnections + ", dryRun=" + dryRun + ", interval=" + interval + '}';
    }

    /** Validating builder of a {@link ReaperConfig}. */
    public static final class Builder {
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration idleInTransactionTimeout = DEFAULT_IDLE_IN_TRANSACTION_TIMEOUT;
        private boolean terminateIdle = true;
        private boolean terminateIdleInTransaction = true;
        private List<String> databases = List.of();
        private List<String> users = List.of();
        private List<String> excludedUsers = List.of();
        private List<String> applications = List.of();
        private List<String> excludedApplications = List.of();
        private int maxTerminationsPerRun = DEFAULT_MAX_TERMINATIONS_PER_RUN;
        private boolean dryRun;
        private boolean logQueryText;
        private boolean reapReplicationConnections;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

        private Builder() {
        }

        /** How long a session may stay {@code idle}; default 5 minutes. */
        public Builder idleTimeout(Duration value) {
            this.idleTimeout = Require.positive("idleTimeout", value, "Duration.ofMinutes(5)");
            return this;
        }

        /** How long a session may stay {@code idle in transaction}; default 1 minute. */
        public Builder idleInTransactionTimeout(Duration value) {
            this.idleInTransactionTimeout = Require.positive("idleInTransactionTimeout", value, "Duration.ofMinutes(1)");
            return this;
        }

        /** Whether idle sessions are terminated; default true. */
        public Builder terminateIdle(boolean value) {
            this.terminateIdle = value;
            return this;
        }

        /** Whether idle-in-transaction sessions are terminated; default true. */
        public Builder terminateIdleInTransaction(boolean value) {
            this.terminateIdleInTransaction = value;
            return this;
        }

        /** The databases in scope (exact names); none means only the pool's database. */
        public Builder databases(String... names) {
            this.databases = names("databases", names);
            return this;
        }

        /**
         * Role (user) names or globs in scope, replacing the default, the pool's own role (name it too
         * to keep it). A superuser's sessions are terminated only if its role is named exactly here.
         */
        public Builder users(String... patterns) {
            this.users = patterns("users", patterns, "'orders', 'batch_*'");
            return this;
        }

        /** User name patterns never terminated. */
        public Builder excludeUsers(String... patterns) {
            this.excludedUsers = names("excludeUsers", patterns);
            return this;
        }

        /**
         * Application name patterns in scope; none means all applications except
         * {@link #PROTECTED_APPLICATIONS}, which are in scope only when named exactly here.
         */
        public Builder applications(String... patterns) {
            this.applications = patterns("applications", patterns, "'batch-*', 'pg_dump'");
            return this;
        }

        /** Application name patterns never terminated. */
        public Builder excludeApplications(String... patterns) {
            this.excludedApplications = names("excludeApplications", patterns);
            return this;
        }

        /** The most sessions terminated per run, at least 1; default 100. */
        public Builder maxTerminationsPerRun(int value) {
            this.maxTerminationsPerRun = Require.atLeast("maxTerminationsPerRun", value, 1, "100");
            return this;
        }

        /** Only report what would be terminated; default false. */
        public Builder dryRun(boolean value) {
            this.dryRun = value;
            return this;
        }

        /**
         * Whether idle replication connections (walsenders, e.g. a stalled {@code pg_basebackup}) may
         * be terminated; default false: they are never in scope.
         */
        public Builder reapReplicationConnections(boolean value) {
            this.reapReplicationConnections = value;
            return this;
        }

        /** Log the last query text of terminated sessions; default false. */
        public Builder logQueryText(boolean value) {
            this.logQueryText = value;
            return this;
        }

        /** The time between scheduled runs; default 1 minute. */
        public Builder interval(Duration value) {
            this.interval = Require.positive("interval", value, "Duration.ofMinutes(1)");
            return this;
        }

        /** The timeout of the reaper's statement; default 10 seconds. */
        public Builder statementTimeout(Duration value) {
            this.statementTimeout = Require.positive("statementTimeout", value, "Duration.ofSeconds(10)");
            return this;
        }

        /** Builds the configuration; at least one of the two states must be terminated. */
        public ReaperConfig build() {
            if (!terminateIdle && !terminateIdleInTransaction) {
                throw new IllegalArgumentException("terminateIdle and terminateIdleInTransaction must not both be false, "
                        + "but were: enable at least one, or do not start a reaper");
            }
            return new ReaperConfig(this);
        }

        private static List<String> names(String field, String... values) {
            Objects.requireNonNull(values, field + " must not be null");
            for (String v : values) {
                if (v == null || v.isBlank()) {
                    throw new IllegalArgumentException(field + " must not hold a blank name, but was '" + v
                            + "': use exact names or globs such as 'batch-*'");
                }
            }
            return List.of(values);
        }

        /** Names, or globs that name something: a pattern of wildcards alone would put everyone in scope. */
        private static List<String> patterns(String field, String[] values, String example) {
            List<String> out = names(field, values);
            for (String v : out) {
                if (v.chars().allMatch(ch -> ch == '*' || ch == '?' || ch == '%')) {
                    throw new IllegalArgumentException(field + " must name what is in scope, but was '" + v
                            + "', which matches everything: name each one, e.g. " + example);
                }
            }
            return out;
        }
    }
}
