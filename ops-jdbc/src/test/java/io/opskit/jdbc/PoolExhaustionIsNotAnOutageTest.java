package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #13: pool exhaustion is not a database outage. With every connection of a tracked pool
 * held and borrowers queued, the database checks still pass on sessions of their own and add no
 * waiter; with the database really unreachable, they name the cause.
 */
class PoolExhaustionIsNotAnOutageTest {

    static EmbeddedPostgres pg;

    @BeforeAll
    static void startServer() throws IOException {
        // passwords are checked for every role but postgres (the test's own)
        pg = EmbeddedPostgres.builder().setDataDirectoryCustomizer(dir -> {
            try {
                Files.writeString(dir.toPath().resolve("pg_hba.conf"), "local all all trust\n"
                        + "host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n"
                        + "host all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).start();
        Pg.exec(Pg.admin(pg, "setup"), "CREATE ROLE app LOGIN PASSWORD 'app-secret-123' IN ROLE pg_read_all_stats");
    }

    @AfterAll
    static void stopServer() throws IOException {
        pg.close();
    }

    private static HikariDataSource trackedPool(int port, String password, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://localhost:" + port + "/postgres?connectTimeout=2");
        config.setUsername("app");
        config.setPassword(password);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(1000);
        config.setInitializationFailTimeout(-1);
        PoolSessions.track(config);
        return new HikariDataSource(config);
    }

    @Test
    void anExhaustedPoolLeavesTheDatabaseChecksPassingAndAddsNoWaiter() throws Exception {
        ExecutorService borrowers = Executors.newFixedThreadPool(3);
        List<Connection> held = new ArrayList<>();
        try (HikariDataSource pool = trackedPool(pg.getPort(), "app-secret-123", 2)) {
            held.add(pool.getConnection());
            held.add(pool.getConnection());
            List<Future<?>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(borrowers.submit(() -> {
                    try (Connection c = pool.getConnection()) {
                        return null;
                    }
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.getHikariPoolMXBean().getThreadsAwaitingConnection() == 3);

            Result db = DataSourceHealthCheck.of(pool).check();
            Result connections = PostgresConnectionsCheck.builder(pool).build().check();
            Result transactions = PostgresTransactionsCheck.builder(pool).build().check();

            assertThat(db.status()).isEqualTo(Status.PASS);
            assertThat(db.details()).containsEntry("connection", "outside the pool");
            assertThat(connections.status()).isNotEqualTo(Status.FAIL);
            assertThat(transactions.status()).isNotEqualTo(Status.FAIL);
            // the checks borrowed nothing: the pool still has its two connections out and its three waiters
            assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isEqualTo(3);
            assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isEqualTo(2);
            for (Connection c : held) {
                c.close();
            }
            held.clear();
            for (Future<?> f : waiting) {
                f.get();
            }
        } finally {
            for (Connection c : held) {
                c.close();
            }
            borrowers.shutdownNow();
        }
    }

    @Test
    void anUnreachableDatabaseIsNamedByItsCause() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (HikariDataSource refused = trackedPool(closedPort, "app-secret-123", 2);
             HikariDataSource wrongPassword = trackedPool(pg.getPort(), "not-the-password", 2)) {
            Result down = DataSourceHealthCheck.of(refused).check();
            assertThat(down.status()).isEqualTo(Status.FAIL);
            assertThat(down.output()).get().asString().startsWith("database unreachable: connection refused");

            Result denied = DataSourceHealthCheck.of(wrongPassword).check();
            assertThat(denied.status()).isEqualTo(Status.FAIL);
            assertThat(denied.output()).get().asString().startsWith("database unreachable: authentication failed")
                    .doesNotContain("not-the-password");
            Result connections = PostgresConnectionsCheck.builder(wrongPassword).build().check();
            assertThat(connections.output()).get().asString().startsWith("database unreachable: authentication failed");
        }
    }
}
