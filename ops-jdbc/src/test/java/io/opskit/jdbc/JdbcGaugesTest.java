package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The gauges the alert rules read: pool utilization and server connection utilization. */
class JdbcGaugesTest {

    static EmbeddedPostgres pg;

    @BeforeAll
    static void startServer() throws Exception {
        pg = Pg.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        pg.close();
    }

    @Test
    void poolUtilizationAndServerConnectionUtilizationAreGauges() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setDataSource(Pg.admin(pg, "gauges"));
        config.setPoolName("gauges");
        config.setMaximumPoolSize(4);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HikariDataSource pool = new HikariDataSource(config);
             HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(pool).build()) {
            watchdog.bindTo(registry);
            PostgresConnectionsCheck server = PostgresConnectionsCheck.builder(pool).build();
            server.bindTo(registry);
            assertThat(registry.get("opskit.db.server.connections.utilization").gauge().value()).isNaN();

            try (Connection a = pool.getConnection(); Connection b = pool.getConnection()) {
                watchdog.sample();
                assertThat(registry.get("opskit.db.pool.utilization").tag("pool", "gauges").gauge().value())
                        .isCloseTo(0.5, within(0.01));
                assertThat(registry.get("opskit.db.pool.threads.awaiting").tag("pool", "gauges").gauge().value()).isZero();
            }
            server.check();
            assertThat(registry.get("opskit.db.server.connections.utilization").tag("check", "postgres:connections")
                    .gauge().value()).isBetween(0.0, 1.0);
        }
    }
}
