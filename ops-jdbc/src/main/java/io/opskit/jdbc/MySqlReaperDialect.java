package io.opskit.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MySQL and MariaDB reaper. One query selects the sleeping sessions in scope from
 * {@code information_schema.PROCESSLIST}, joined with {@code INNODB_TRX} to tell an idle session
 * from one idle in an open transaction; those servers cannot terminate from inside a query, so
 * each selected session then costs one {@code KILL CONNECTION}. By default only sessions of the
 * pool's user and schema are in scope; the reaper's own session and the pool's sessions (known by
 * {@code CONNECTION_ID()}, see {@link PoolSessions}) are never killed. A session the reaper may not kill
 * (error 1095: another user's session without {@code CONNECTION ADMIN}/{@code SUPER}, or a
 * {@code SYSTEM_USER} session on MySQL 8) is reported as skipped, one already gone (1094) as gone.
 *
 * <p>Application names come from the connection attribute {@code program_name} in
 * {@code performance_schema.session_connect_attrs}, which needs the performance schema on; the
 * join is only made when application filters are configured. The reaper's role needs
 * {@code PROCESS} (to see other sessions and {@code INNODB_TRX}) and {@code CONNECTION ADMIN}
 * or {@code SUPER} (to kill them).
 */
final class MySqlReaperDialect implements ReaperDialect {

    static final MySqlReaperDialect MYSQL = new MySqlReaperDialect("mysql", "p.TIME * 1000");
    static final MySqlReaperDialect MARIADB = new MySqlReaperDialect("mariadb", "p.TIME_MS");

    private static final int ER_NO_SUCH_THREAD = 1094;
    private static final int ER_KILL_DENIED = 1095;

    private final String component;
    private final String idleMillis;

    private MySqlReaperDialect(String component, String idleMillis) {
        this.component = component;
        this.idleMillis = idleMillis;
    }

    @Override
    public String component() {
        return component;
    }

    @Override
    public List<ReapedSession> reap(Connection connection, ReaperConfig config, ReaperScope scope) throws SQLException {
        List<ReapedSession> selected = select(connection, config, scope);
        List<ReapedSession> out = new ArrayList<>(selected.size());
        int attempted = 0;
        try (Statement kill = connection.createStatement()) {
            kill.setQueryTimeout(Require.jdbcSeconds(config.statementTimeout()));
            for (ReapedSession s : selected) {
                if (s.outcome() != ReapedSession.Outcome.TERMINATED) {
                    out.add(s);
                } else if (attempted >= config.maxTerminationsPerRun()) {
                    out.add(with(s, ReapedSession.Outcome.SKIPPED_CAP));
                } else if (config.dryRun()) {
                    attempted++;
                    out.add(with(s, ReapedSession.Outcome.WOULD_TERMINATE));
                } else {
                    attempted++;
                    out.add(with(s, kill(kill, s.id())));
                }
            }
        }
        return out;
    }

    private static ReapedSession.Outcome kill(Statement kill, long id) throws SQLException {
        try {
            kill.execute("KILL CONNECTION " + id);   // a long, never text: nothing to inject
            return ReapedSession.Outcome.TERMINATED;
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_NO_SUCH_THREAD) {
                return ReapedSession.Outcome.GONE;
            }
            if (e.getErrorCode() == ER_KILL_DENIED) {
                return ReapedSession.Outcome.SKIPPED_NO_PERMISSION;
            }
            throw e;
        }
    }

    /** Selected sessions, oldest idle first; those to act on carry TERMINATED until decided. */
    private List<ReapedSession> select(Connection connection, ReaperConfig config, ReaperScope scope) throws SQLException {
        boolean applications = !config.applications().isEmpty() || !config.excludedApplications().isEmpty();
        StringBuilder sql = new StringBuilder("SELECT p.ID AS id, p.USER AS usr, p.HOST AS host, ")
                .append(idleMillis).append(" AS idle_ms, t.trx_id IS NOT NULL AS in_tx, p.ID = CONNECTION_ID() AS own, ")
                .append(applications ? "a.ATTR_VALUE" : "NULL").append(" AS app, p.INFO AS info")
                .append(" FROM information_schema.PROCESSLIST p")
                .append(" LEFT JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID");
        if (applications) {
            sql.append(" LEFT JOIN performance_schema.session_connect_attrs a ON a.PROCESSLIST_ID = p.ID")
                    .append(" AND a.ATTR_NAME = 'program_name'");
        }
        sql.append(" WHERE p.COMMAND = 'Sleep'");
        List<Object> params = new ArrayList<>();
        if (config.databases().isEmpty() && !scope.database().isEmpty()) {
            sql.append(" AND p.DB = ?");
            params.add(scope.database());
        } else if (config.databases().isEmpty()) {
            sql.append(" AND p.DB = DATABASE()");
        } else {
            sql.append(" AND p.DB IN (").append(String.join(", ", java.util.Collections.nCopies(config.databases().size(), "?")))
                    .append(')');
            params.addAll(config.databases());
        }
        sql.append(" AND ((t.trx_id IS NULL AND ? AND ").append(idleMillis).append(" >= ?)")
                .append(" OR (t.trx_id IS NOT NULL AND ? AND ").append(idleMillis).append(" >= ?))");
        params.add(config.terminateIdle());
        params.add(config.idleTimeout().toMillis());
        params.add(config.terminateIdleInTransaction());
        params.add(config.idleInTransactionTimeout().toMillis());
        // the pool's user by default (the reaper's own when it works for no pool): other users only when named
        if (config.users().isEmpty() && !scope.role().isEmpty()) {
            sql.append(" AND p.USER = ?");
            params.add(scope.role());
        } else if (config.users().isEmpty()) {
            sql.append(" AND p.USER = SUBSTRING_INDEX(CURRENT_USER(), '@', 1)");
        }
        likes(sql, params, "p.USER", config.users(), false);
        likes(sql, params, "p.USER", config.excludedUsers(), true);
        likes(sql, params, "coalesce(a.ATTR_VALUE, '')", config.applications(), false);
        likes(sql, params, "coalesce(a.ATTR_VALUE, '')", config.excludedApplications(), true);
        sql.append(" ORDER BY idle_ms DESC, p.ID");

        List<ReapedSession> out = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
            ps.setQueryTimeout(Require.jdbcSeconds(config.statementTimeout()));
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String user = rs.getString("usr");
                    ReapedSession.Outcome outcome = rs.getBoolean("own") ? ReapedSession.Outcome.SKIPPED_OWN_SESSION
                            : scope.poolSessionIds().contains(rs.getLong("id")) ? ReapedSession.Outcome.SKIPPED_OWN_POOL
                            : "system user".equals(user) || "event_scheduler".equals(user)
                            ? ReapedSession.Outcome.SKIPPED_NOT_A_CLIENT : ReapedSession.Outcome.TERMINATED;
                    out.add(new ReapedSession(rs.getLong("id"), user == null ? "" : user,
                            Optional.ofNullable(rs.getString("app")).orElse(""), clientAddress(rs.getString("host")),
                            rs.getBoolean("in_tx") ? ReapedSession.State.IDLE_IN_TRANSACTION : ReapedSession.State.IDLE,
                            Duration.ofMillis(rs.getLong("idle_ms")), outcome,
                            config.logQueryText() ? Optional.ofNullable(rs.getString("info")) : Optional.empty()));
                }
            }
        }
        return out;
    }

    private static void likes(StringBuilder sql, List<Object> params, String column, List<String> globs, boolean exclude) {
        if (globs.isEmpty()) {
            return;
        }
        sql.append(exclude ? " AND NOT (" : " AND (");
        for (int i = 0; i < globs.size(); i++) {
            sql.append(i == 0 ? "" : " OR ").append(column).append(" LIKE ?");
            params.add(PostgresReaperDialect.globToLike(globs.get(i)));
        }
        sql.append(')');
    }

    /** {@code 10.0.0.7:51234} → {@code 10.0.0.7}; {@code localhost} (a socket) → empty. */
    private static Optional<String> clientAddress(String host) {
        if (host == null || host.isEmpty() || "localhost".equals(host)) {
            return Optional.empty();
        }
        int colon = host.lastIndexOf(':');
        return Optional.of(colon > 0 && host.indexOf(':') == colon ? host.substring(0, colon) : host);
    }

    private static ReapedSession with(ReapedSession s, ReapedSession.Outcome outcome) {
        return new ReapedSession(s.id(), s.user(), s.application(), s.clientAddress(), s.state(), s.idleFor(), outcome,
                s.query());
    }
}
