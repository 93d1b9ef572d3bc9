package io.opskit.jdbc;

import java.util.Objects;
import java.util.Set;

/**
 * Whom a reaper run works for, handed to its {@link ReaperDialect} with the config: the session ids
 * of the pool the reaper was built on (never terminated, whatever their names say), and the role and
 * database that are in scope when the config names none.
 *
 * @param poolSessionIds the server session ids of the pool's open physical connections
 * @param role           the pool's role (user), in scope when {@link ReaperConfig#users()} is empty
 * @param database       the pool's database (schema), in scope when {@link ReaperConfig#databases()} is empty
 */
public record ReaperScope(Set<Long> poolSessionIds, String role, String database) {

    /** Validates and copies. */
    public ReaperScope {
        poolSessionIds = Set.copyOf(poolSessionIds);
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(database, "database");
    }
}
