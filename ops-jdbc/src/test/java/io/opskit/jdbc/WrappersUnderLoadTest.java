package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The wrappers on a real pool (HikariCP over H2 in memory), concurrently and with batches. */
class WrappersUnderLoadTest {

    private static HikariDataSource pool(String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        config.setMaximumPoolSize(4);
        config.setPoolName(name);
        return new HikariDataSource(config);
    }

    @Test
    void concurrentBorrowsAndStatementsLeaveNothingOpenAndCountEveryStatement() throws Exception {
        LeakTracker leaks = LeakTracker.create();
        QueryMonitor queries = QueryMonitor.create();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        queries.bindTo(registry);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (HikariDataSource hikari = pool("load")) {
            DataSource ds = JdbcOps.instrument(hikari, leaks, queries);
            List<CompletableFuture<Void>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                work.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < 250; i++) {
                        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT ?")) {
                            ps.setInt(1, i);
                            try (ResultSet rs = ps.executeQuery()) {
                                assertThat(rs.next()).isTrue();
                            }
                        } catch (SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }, threads));
            }
            CompletableFuture.allOf(work.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdown();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(leaks.openCount()).isZero();
        assertThat(registry.get("opskit.db.query").timer().count()).isEqualTo(2000);
    }

    @Test
    void aBatchIsOneTimedExecutionAndNamesItsSize() throws Exception {
        QueryMonitor queries = QueryMonitor.builder().slowThreshold(Duration.ofNanos(1)).build();
        try (HikariDataSource hikari = pool("batch")) {
            DataSource ds = queries.wrap(hikari);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE items(id int, name varchar(20))");
                queries.clearSlowQueries();
                s.addBatch("INSERT INTO items VALUES (1, 'alice')");
                s.addBatch("INSERT INTO items VALUES (2, 'bob')");
                s.addBatch("INSERT INTO items VALUES (3, 'carol')");
                s.executeBatch();
            }
        }

        assertThat(queries.slowQueries()).singleElement()
                .satisfies(q -> assertThat(q.sql()).isEqualTo("INSERT INTO items VALUES (?, …) (+2 more in batch)"));
    }
}
