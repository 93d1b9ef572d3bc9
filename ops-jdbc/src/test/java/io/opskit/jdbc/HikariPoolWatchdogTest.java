package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.opskit.core.OpsEvents;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.opskit.core.correlation.CorrelationId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HikariPoolWatchdogTest {

    static EmbeddedPostgres pg;
    static DataSource observer;

    @BeforeAll
    static void startServer() throws IOException {
        pg = Pg.start();
        observer = Pg.admin(pg, "observer");
    }

    @AfterAll
    static void stopServer() throws IOException {
        pg.close();
    }

    private static HikariDataSource pool(String application, int max) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(Pg.admin(pg, application));
        config.setPoolName(application);
        config.setMaximumPoolSize(max);
        config.setMinimumIdle(max);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    private static Connection holdConnection(DataSource ds) throws SQLException {
        try (CorrelationId.Scope s = CorrelationId.open("req-leaky")) {
            return ds.getConnection();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anExhaustedPoolFailsNamingItsLeakSuspectsAndPassesOnceReleased() throws Exception {
        OpsEvents events = OpsEvents.inMemory(50);
        LeakTracker leaks = LeakTracker.builder().threshold(Duration.ofMillis(50)).build();
        try (HikariDataSource hikari = pool("exhaust", 2);
             HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(hikari).leakTracker(leaks)
                     .sampleInterval(Duration.ofMillis(25)).exhaustedAfter(Duration.ofMillis(200))
                     .threadDumpOnExhaustion(true).events(events).build();
             LogCapture logs = new LogCapture(HikariPoolWatchdog.class)) {
            DataSource app = leaks.wrap(hikari);
            List<Connection> held = new ArrayList<>(List.of(holdConnection(app), holdConnection(app)));
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
                try (Connection c = app.getConnection()) {
                    assertThat(c.isValid(1)).isTrue();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            watchdog.start();

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(watchdog.check().check().status()).isEqualTo(Status.FAIL));
            Result failed = watchdog.check().check();
            assertThat(failed.output()).hasValueSatisfying(o -> assertThat(o).contains("pool exhausted")
                    .contains("2 of 2 in use").contains("2 leak suspect(s)"));
            List<Map<String, Object>> suspects = (List<Map<String, Object>>) failed.details().get("leakSuspects");
            assertThat(suspects).hasSize(2).allSatisfy(s -> {
                assertThat(s).containsEntry("thread", Thread.currentThread().getName()).containsEntry("correlationId", "req-leaky");
                assertThat((List<String>) s.get("borrowStack")).first().asString().contains("HikariPoolWatchdogTest.holdConnection");
            });
            await().atMost(Duration.ofSeconds(5)).until(() -> !Events.actions(events).isEmpty());
            assertThat(Events.actions(events)).singleElement().satisfies(e -> assertThat(e.action()).isEqualTo("thread-dump"));
            assertThat(String.join("\n", logs.lines())).contains("pool exhausted").contains("HikariPoolWatchdogTest.holdConnection")
                    .contains("is now");

            for (Connection c : held) {
                c.close();
            }
            waiter.get();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(watchdog.check().check().status()).isEqualTo(Status.PASS));
            assertThat(leaks.openCount()).isZero();
        }
    }

    @Test
    void highUtilizationWarnsWithoutStartingTheSampler() throws Exception {
        try (HikariDataSource hikari = pool("busy", 5)) {
            HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(hikari).build();
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(hikari.getConnection());
            }
            Result calm = watchdog.check().check();
            assertThat(calm.status()).isEqualTo(Status.PASS);
            assertThat(calm.observedValue()).contains(60.0);

            held.add(hikari.getConnection());
            Result warn = watchdog.check().check();
            assertThat(warn.status()).isEqualTo(Status.WARN);
            assertThat(warn.output()).contains("pool 80.0% in use (4 of 5)");
            assertThat(warn.details()).containsEntry("active", 4).containsEntry("max", 5);
            for (Connection c : held) {
                c.close();
            }
            assertThat(watchdog.registration().name()).isEqualTo("hikari:utilization");
        }
    }

    @Test
    void consecutiveFailedValidationsSoftEvictThePoolAndAreAudited() throws Exception {
        OpsEvents events = OpsEvents.inMemory(50);
        Pg.exec(observer, "CREATE TABLE health_marker(id int)");
        try (HikariDataSource hikari = pool("evict", 2)) {
            HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(hikari).softEvictAfterFailedValidations(2)
                    .events(events).build();
            DataSourceHealthCheck health = DataSourceHealthCheck.builder(hikari)
                    .validationQuery("SELECT 1 FROM health_marker").listener(watchdog.validationListener()).build();
            assertThat(health.check().status()).isEqualTo(Status.PASS);
            await().atMost(Duration.ofSeconds(5)).until(() -> pids("evict").size() == 2);
            List<Long> before = pids("evict");

            Pg.exec(observer, "DROP TABLE health_marker");
            assertThat(health.check().status()).isEqualTo(Status.FAIL);
            assertThat(Events.actions(events)).isEmpty();
            assertThat(health.check().status()).isEqualTo(Status.FAIL);

            assertThat(Events.actions(events)).singleElement().satisfies(e -> {
                assertThat(e.source()).isEqualTo("hikari:utilization");
                assertThat(e.action()).isEqualTo("soft-evict");
                assertThat(e.details()).containsEntry("failedValidations", "2");
            });
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(pids("evict")).doesNotContainAnyElementsOf(before));
        }
    }

    @Test
    void aPoolThatHasNotStartedPasses() throws Exception {
        try (HikariDataSource lazy = new HikariDataSource()) {
            Result r = HikariPoolWatchdog.builder(lazy).build().check().check();
            assertThat(r.status()).isEqualTo(Status.PASS);
            assertThat(r.output()).contains("pool not started yet");
        }
    }

    @Test
    void theBuilderRejectsBadValuesNamingFieldValueAndFix() {
        try (HikariDataSource lazy = new HikariDataSource()) {
            assertThatThrownBy(() -> HikariPoolWatchdog.builder(lazy).warnAt(0))
                    .hasMessageContaining("warnAt").hasMessageContaining("0.0").hasMessageContaining("0.80");
            assertThatThrownBy(() -> HikariPoolWatchdog.builder(lazy).softEvictAfterFailedValidations(0))
                    .hasMessageContaining("softEvictAfterFailedValidations").hasMessageContaining("3");
            assertThatThrownBy(() -> HikariPoolWatchdog.builder(lazy).exhaustedAfter(Duration.ofMillis(-5)))
                    .hasMessageContaining("exhaustedAfter").hasMessageContaining("PT-0.005S");
        }
    }

    private static List<Long> pids(String application) {
        return Pg.longs(observer, "SELECT pid FROM pg_stat_activity WHERE application_name = '" + application + "' ORDER BY pid");
    }
}
