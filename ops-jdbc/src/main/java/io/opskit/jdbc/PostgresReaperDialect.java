package io.opskit.jdbc;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL reaper: ONE statement selects the idle sessions in scope from
 * {@code pg_stat_activity} (by default: the pool's database and role), classifies those it must
 * leave alone (its own session, the pool's sessions by backend pid, non-client backends, backup
 * tools, superusers not named exactly, roles it may not signal), ranks the rest oldest first
 * under the cap, and calls {@code pg_terminate_backend} on them in its select list, so a run is a
 * single round trip however many sessions it ends.
 *
 * <p>{@code pg_terminate_backend} raises an error (aborting the whole statement) for a session
 * the caller may not signal, so permission is decided in SQL first, the way the server decides
 * it: superusers may signal anyone; others never a superuser's session, and otherwise only
 * sessions of roles whose privileges they have, or any if they have {@code pg_signal_backend}.
 */
final class PostgresReaperDialect implements ReaperDialect {

    static final PostgresReaperDialect INSTANCE = new PostgresReaperDialect();

    static final String SQL = "WITH me AS ("
            + " SELECT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false) AS superuser,"
            + " pg_has_role(current_user, 'pg_signal_backend', 'USAGE') AS signal_any"
            + "), c AS ("
            + " SELECT a.pid, coalesce(a.usename, '') AS usename, coalesce(a.application_name, '') AS application_name,"
            + " host(a.client_addr) AS client_addr,"
            + " CASE WHEN a.state = 'idle' THEN 'IDLE' ELSE 'IDLE_IN_TRANSACTION' END AS state,"
            + " (extract(epoch FROM now() - a.state_change) * 1000)::bigint AS idle_ms,"
            + " CASE WHEN ?::boolean THEN a.query END AS query,"
            + " CASE WHEN a.pid = pg_backend_pid() THEN 'SKIPPED_OWN_SESSION'"
            + " WHEN a.pid = ANY(?::int[]) THEN 'SKIPPED_OWN_POOL'"
            + " WHEN a.backend_type IS DISTINCT FROM 'client backend'"
            + " AND NOT (?::boolean AND a.backend_type = 'walsender') THEN 'SKIPPED_NOT_A_CLIENT'"
            + " WHEN coalesce(a.application_name, '') = ANY(?::text[]) THEN 'SKIPPED_PROTECTED_APPLICATION'"
            + " WHEN coalesce(u.rolsuper, false) AND NOT (me.superuser AND coalesce(a.usename, '') = ANY(?::text[]))"
            + " THEN 'SKIPPED_SUPERUSER'"
            + " WHEN me.superuser THEN NULL"
            + " WHEN NOT (me.signal_any OR coalesce(pg_has_role(current_user, a.usesysid, 'USAGE'), false))"
            + " THEN 'SKIPPED_NO_PERMISSION' END AS skip"
            + " FROM pg_stat_activity a CROSS JOIN me LEFT JOIN pg_roles u ON u.oid = a.usesysid"
            + " WHERE ((cardinality(?::text[]) = 0 AND a.datname = current_database()) OR a.datname = ANY(?::text[]))"
            + " AND ((?::boolean AND a.state = 'idle' AND a.state_change < now() - make_interval(secs => ?::float8))"
            + " OR (?::boolean AND a.state IN ('idle in transaction', 'idle in transaction (aborted)')"
            + " AND a.state_change < now() - make_interval(secs => ?::float8)))"
            + " AND ((cardinality(?::text[]) = 0 AND a.usename = current_user) OR coalesce(a.usename, '') LIKE ANY(?::text[]))"
            + " AND NOT (coalesce(a.usename, '') LIKE ANY(?::text[]))"
            + " AND (cardinality(?::text[]) = 0 OR coalesce(a.application_name, '') LIKE ANY(?::text[]))"
            + " AND NOT (coalesce(a.application_name, '') LIKE ANY(?::text[]))"
            + "), r AS ("
            + " SELECT c.*, row_number() OVER (PARTITION BY skip IS NULL ORDER BY idle_ms DESC, pid) AS rn FROM c"
            + ")"
            + " SELECT pid, usename, application_name, client_addr, state, idle_ms, query,"
            + " CASE WHEN skip IS NOT NULL THEN skip"
            + " WHEN rn > ? THEN 'SKIPPED_CAP'"
            + " WHEN ?::boolean THEN 'WOULD_TERMINATE'"
            + " WHEN pg_terminate_backend(pid) THEN 'TERMINATED'"
            + " ELSE 'GONE' END AS outcome"
            + " FROM r ORDER BY idle_ms DESC, pid";

    private PostgresReaperDialect() {
    }

    @Override
    public String component() {
        return "postgres";
    }

    @Override
    public List<ReapedSession> reap(Connection connection, ReaperConfig config, ReaperScope scope) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(SQL)) {
            ps.setQueryTimeout(Require.jdbcSeconds(config.statementTimeout()));
            int i = 0;
            ps.setBoolean(++i, config.logQueryText());
            ps.setArray(++i, connection.createArrayOf("int4", scope.poolSessionIds().stream().map(Long::intValue).toArray()));
            ps.setBoolean(++i, config.reapReplicationConnections());
            ps.setArray(++i, connection.createArrayOf("text", config.protectedApplications().toArray()));
            ps.setArray(++i, connection.createArrayOf("text", config.exactUsers().toArray()));
            // the pool's database and role by default; empty (no pool, or it opened nothing yet): the reaper's own
            Array databases = connection.createArrayOf("text", (config.databases().isEmpty()
                    ? (scope.database().isEmpty() ? List.of() : List.of(scope.database())) : config.databases()).toArray());
            ps.setArray(++i, databases);
            ps.setArray(++i, databases);
            ps.setBoolean(++i, config.terminateIdle());
            ps.setDouble(++i, seconds(config.idleTimeout()));
            ps.setBoolean(++i, config.terminateIdleInTransaction());
            ps.setDouble(++i, seconds(config.idleInTransactionTimeout()));
            Array users = config.users().isEmpty()
                    ? connection.createArrayOf("text", scope.role().isEmpty() ? new Object[0] : new Object[] {literalToLike(scope.role())})
                    : likes(connection, config.users());
            ps.setArray(++i, users);
            ps.setArray(++i, users);
            ps.setArray(++i, likes(connection, config.excludedUsers()));
            Array applications = likes(connection, config.applications());
            ps.setArray(++i, applications);
            ps.setArray(++i, applications);
            ps.setArray(++i, likes(connection, config.excludedApplications()));
            ps.setInt(++i, config.maxTerminationsPerRun());
            ps.setBoolean(++i, config.dryRun());
            List<ReapedSession> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ReapedSession(rs.getLong("pid"), rs.getString("usename"), rs.getString("application_name"),
                            Optional.ofNullable(rs.getString("client_addr")),
                            ReapedSession.State.valueOf(rs.getString("state")),
                            Duration.ofMillis(rs.getLong("idle_ms")),
                            ReapedSession.Outcome.valueOf(rs.getString("outcome")),
                            Optional.ofNullable(rs.getString("query"))));
                }
            }
            return out;
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static Array likes(Connection connection, List<String> globs) throws SQLException {
        return connection.createArrayOf("text", globs.stream().map(PostgresReaperDialect::globToLike).toArray());
    }

    /** A name matched literally by LIKE: its wildcards and the escape are escaped. */
    static String literalToLike(String name) {
        return name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** {@code batch-*} becomes {@code batch-%}; LIKE's own wildcards and the escape are escaped. */
    static String globToLike(String glob) {
        StringBuilder sb = new StringBuilder(glob.length() + 4);
        for (int i = 0; i < glob.length(); i++) {
            char ch = glob.charAt(i);
            switch (ch) {
                case '*' -> sb.append('%');
                case '?' -> sb.append('_');
                case '%', '_', '\\' -> sb.append('\\').append(ch);
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
