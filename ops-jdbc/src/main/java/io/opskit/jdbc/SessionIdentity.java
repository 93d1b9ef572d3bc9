package io.opskit.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** Reads a fresh connection's server-side session id, role and database in one round trip. */
final class SessionIdentity {

    private SessionIdentity() {
    }

    static PoolSessions.Session of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        String sql;
        if (product.contains("postgres")) {
            sql = "SELECT pg_backend_pid(), current_user, current_database()";
        } else if (product.contains("mysql") || product.contains("mariadb")) {
            sql = "SELECT CONNECTION_ID(), SUBSTRING_INDEX(CURRENT_USER(), '@', 1), coalesce(DATABASE(), '')";
        } else {
            throw new SQLException("cannot identify sessions of " + product + ": the reaper knows PostgreSQL, MySQL and MariaDB");
        }
        boolean autoCommit = connection.getAutoCommit();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new PoolSessions.Session(rs.getLong(1), rs.getString(2), rs.getString(3));
        } finally {
            if (!autoCommit) {
                connection.rollback();   // leave no transaction open on a connection the pool is about to hand out
            }
        }
    }
}
