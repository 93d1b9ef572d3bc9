package io.opskit.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How an {@link IdleConnectionReaper} finds and terminates idle sessions on one kind of
 * database. An implementation selects the sessions in scope of a {@link ReaperConfig} and a
 * {@link ReaperScope}, decides which it may and may not terminate (its own session, the sessions of
 * the pool it works for, non-client sessions, sessions it has no right to signal, the cap),
 * terminates the rest unless the config is a dry run, and reports every session with its
 * {@link ReapedSession.Outcome}. Sessions of the pool are told apart by session id, never by a name. It should do so in as few round trips as the
 * database allows: PostgreSQL's {@link #postgresql()} selects and terminates in one statement.
 *
 * <p>{@link #mysql()} and {@link #mariadb()} select from {@code information_schema.PROCESSLIST}
 * in one query and then issue one {@code KILL CONNECTION} per session, which those servers cannot
 * do from inside a query.
 */
public interface ReaperDialect {

    /** The component of the reaper's check name, e.g. {@code postgres} for {@code postgres:reaper}. */
    String component();

    /**
     * Selects and (unless {@link ReaperConfig#dryRun()}) terminates the idle sessions in scope, on
     * the reaper's own connection (opened outside the application's pool for this run). A session
     * whose id is in {@link ReaperScope#poolSessionIds()} must never be terminated.
     *
     * @return every session selected, oldest idle first, with what was done to it
     */
    List<ReapedSession> reap(Connection connection, ReaperConfig config, ReaperScope scope) throws SQLException;

    /** PostgreSQL 10 or later: {@code pg_stat_activity} and {@code pg_terminate_backend} in one statement. */
    static ReaperDialect postgresql() {
        return PostgresReaperDialect.INSTANCE;
    }

    /** MySQL 8: {@code PROCESSLIST} (idle time in whole seconds) and {@code INNODB_TRX}, then {@code KILL CONNECTION}. */
    static ReaperDialect mysql() {
        return MySqlReaperDialect.MYSQL;
    }

    /** MariaDB 10.x/11.x: as {@link #mysql()}, with idle time in milliseconds ({@code TIME_MS}). */
    static ReaperDialect mariadb() {
        return MySqlReaperDialect.MARIADB;
    }
}
