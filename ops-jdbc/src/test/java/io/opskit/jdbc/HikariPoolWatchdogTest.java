package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.Ops;
import io.opskit.core.OpsEvents;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.opskit.core.correlation.CorrelationId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
        return pool(application, max, 10_000);
    }

    private static HikariDataSource pool(String application, int max, long connectionTimeoutMs) {
        return new HikariDataSource(config(application, max, connectionTimeoutMs));
    }

    private static HikariConfig config(String application, int max, long connectionTimeoutMs) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(Pg.admin(pg, application));
        config.setPoolName(application);
        config.setMaximumPoolSize(max);
        config.setMinimumIdle(max);
        config.setConnectionTimeout(connectionTimeoutMs);
        return config;
    }

    private static Connection holdConnection(DataSource ds) throws SQLException {
        try (CorrelationId.Scope s = CorrelationId.open("req-leaky")) {
            return ds.getConnection();
        }
    }

    /** Borrows from {@code ds} on another thread; completes with the exception HikariCP threw, if any. */
    private static CompletableFuture<SQLException> borrowAndReturn(DataSource ds) {
        return CompletableFuture.supplyAsync(() -> {
            try (Connection c = ds.getConnection()) {
                return null;
            } catch (SQLException e) {
                return e;
            }
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void borrowersTimingOutOnAFullPoolFailItAsExhaustedNamingTheLeakSuspectsAndItPassesOnceReleased() throws Exception {
        OpsEvents events = OpsEvents.inMemory(50);
        LeakTracker leaks = LeakTracker.builder().threshold(Duration.ofMillis(50)).build();
        try (HikariDataSource hikari = pool("exhaust", 2, 250);
             HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(hikari).leakTracker(leaks)
                     .sampleInterval(Duration.ofMillis(25)).timeoutWindow(Duration.ofSeconds(1))
                     .threadDumpOnExhaustion(true).events(events).build();
             LogCapture logs = new LogCapture(HikariPoolWatchdog.class)) {
            DataSource app = leaks.wrap(hikari);
            List<Connection> held = new ArrayList<>(List.of(holdConnection(app), holdConnection(app)));
            watchdog.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> leaks.leakSuspects().size() == 2);
            assertThat(watchdog.check().check().status()).isEqualTo(Status.WARN);   // full, but nobody timed out

            SQLException timedOut = borrowAndReturn(app).get(5, TimeUnit.SECONDS);

            assertThat((Throwable) timedOut).isInstanceOf(SQLTransientConnectionException.class);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(watchdog.check().check().status()).isEqualTo(Status.FAIL));
            Result failed = watchdog.check().check();
            assertThat(failed.output()).hasValueSatisfying(o -> assertThat(o)
                    .startsWith("pool exhausted: 1 borrower(s) timed out after 250 ms (connectionTimeout) in the last 1 s")
                    .contains("2 of 2 in use").contains("2 leak suspect(s)"));
            assertThat(failed.details()).containsEntry("timeoutsInWindow", 1L).containsEntry("timeoutSource", "installed tracker");
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
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(watchdog.check().check().status()).isEqualTo(Status.PASS));
            assertThat(leaks.openCount()).isZero();
        }
    }

    @Test
    void fortyClientsOfTwoHundredMillisecondQueriesOnTenConnectionsMakeTheCheckWarnNeverFail() throws Exception {
        int clients = 40;
        int queriesEach = 8;
        try (HikariDataSource hikari = pool("busy40", 10, 30_000);
             HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(hikari).sampleInterval(Duration.ofMillis(50)).build().start();
             Ops ops = Ops.builder().check(watchdog.registrationBuilder().interval(Duration.ofMillis(100)).build()).build().start()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> ops.health(Probe.READINESS).status() == Status.PASS);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<?>> load = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                load.add(pool.submit(() -> {
                    for (int q = 0; q < queriesEach; q++) {
                        try (Connection c = hikari.getConnection(); Statement st = c.createStatement()) {
                            st.execute("SELECT pg_sleep(0.2)");
                        }
                    }
                    return null;
                }));
            }
            List<Result> seen = new ArrayList<>();
            List<Status> readiness = new ArrayList<>();
            long[] mostAwaiting = {0, 0};
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
                Result r = watchdog.check().check();
                seen.add(r);
                readiness.add(ops.health(Probe.READINESS).status());
                mostAwaiting[0] = Math.max(mostAwaiting[0], ((Number) r.details().get("threadsAwaiting")).longValue());
                mostAwaiting[1] = Math.max(mostAwaiting[1], ((Number) r.details().get("awaitingForMs")).longValue());
                return load.stream().allMatch(Future::isDone);
            });
            for (Future<?> f : load) {
                f.get();   // every borrower was served: none threw
            }
            pool.shutdown();

            assertThat(seen).extracting(Result::status).doesNotContain(Status.FAIL).contains(Status.WARN);
            assertThat(readiness).doesNotContain(Status.FAIL);
            assertThat(ops.check("hikari:utilization").orElseThrow().status()).isNotEqualTo(Status.FAIL);
            assertThat(seen).filteredOn(r -> r.status() == Status.WARN).allSatisfy(r -> {
                assertThat(r.output()).get().asString().startsWith("pool busy: ").endsWith("no borrower timed out in the last 30 s");
                assertThat(r.details()).containsEntry("timeoutsInWindow", 0L).containsEntry("timeoutSource", "installed tracker");
            }).anySatisfy(r -> assertThat(r.output()).get().asString().startsWith("pool busy: 100.0% in use (10 of 10)"));
            assertThat(mostAwaiting[0]).isGreaterThanOrEqualTo(20);
            assertThat(mostAwaiting[1]).isGreaterThan(2_000);   // the old rule ("threads waiting 2 s") failed here
            assertThat(watchdog.registration().critical()).isFalse();
        }
    }

    @Test
    void anEmptyPoolBecauseTheDatabaseIsDownIsNotCalledExhausted() throws Exception {
        OpsEvents events = OpsEvents.inMemory(50);
        HikariConfig config = new HikariConfig();
        config.setDataSource(Pg.dataSource(freePort(), "postgres", "postgres", "down"));
        config.setPoolName("down");
        config.setMaximumPoolSize(2);
        config.setConnectionTimeout(2_000);
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource hikari = new HikariDataSource(config);
             HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(hikari).sampleInterval(Duration.ofMillis(25))
                     .threadDumpOnExhaustion(true).events(events).build().start()) {
            CompletableFuture<SQLException> borrower = borrowAndReturn(hikari);

            await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(watchdog.check().check().status()).isEqualTo(Status.WARN));
            Result waiting = watchdog.check().check();
            assertThat((Throwable) borrower.get(10, TimeUnit.SECONDS)).isInstanceOf(SQLTransientConnectionException.class);
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                    assertThat(watchdog.check().check().status()).isEqualTo(Status.FAIL));
            Result failed = watchdog.check().check();

            assertThat(waiting.output()).get().asString().startsWith("pool has no connections and 1 thread(s) waiting")
                    .contains("an empty pool is not exhausted");
            assertThat(failed.output()).get().asString()
                    .startsWith("pool has no connections: 1 borrower(s) timed out after 2000 ms (connectionTimeout)")
                    .contains("is the database reachable?").contains("an empty pool is not exhausted")
                    .doesNotContain("pool exhausted");
            assertThat(failed.details()).containsEntry("total", 0).doesNotContainKey("leakSuspects");
            assertThat(Events.actions(events)).isEmpty();   // no thread dump: nothing is exhausted
        }
    }

    @Test
    void timeoutsAreCountedFromAMicrometerRegistryOrAWrappedFactoryAndOtherwiseTheCheckOnlyWarns() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HikariConfig micrometer = config("micrometer", 1, 250);
        micrometer.setMetricRegistry(registry);
        AtomicLong delegateTimeouts = new AtomicLong();
        MetricsTrackerFactory own = (poolName, stats) -> new IMetricsTracker() {
            @Override
            public void recordConnectionTimeout() {
                delegateTimeouts.incrementAndGet();
            }
        };
        HikariConfig wrapped = config("wrapped", 1, 250);
        wrapped.setMetricsTrackerFactory(HikariPoolWatchdog.timeoutCounting(own));
        HikariConfig foreign = config("foreign", 1, 250);
        foreign.setMetricsTrackerFactory(own);
        try (HikariDataSource a = new HikariDataSource(micrometer);
             HikariDataSource b = new HikariDataSource(wrapped);
             HikariDataSource c = new HikariDataSource(foreign);
             LogCapture logs = new LogCapture(HikariTimeouts.class)) {
            HikariPoolWatchdog wa = HikariPoolWatchdog.builder(a).build();
            HikariPoolWatchdog wb = HikariPoolWatchdog.builder(b).build();
            HikariPoolWatchdog wc = HikariPoolWatchdog.builder(c).build();
            List<Connection> held = List.of(a.getConnection(), b.getConnection(), c.getConnection());
            for (DataSource ds : List.of(a, b, c)) {
                assertThat((Throwable) borrowAndReturn(ds).get(5, TimeUnit.SECONDS)).isInstanceOf(SQLTransientConnectionException.class);
            }

            Result ra = wa.check().check();
            Result rb = wb.check().check();
            Result rc = wc.check().check();
            for (Connection each : held) {
                each.close();
            }

            assertThat(ra.status()).isEqualTo(Status.FAIL);
            assertThat(ra.details()).containsEntry("timeoutSource", "micrometer hikaricp.connections.timeout");
            assertThat(rb.status()).isEqualTo(Status.FAIL);
            assertThat(rb.details()).containsEntry("timeoutSource", "timeoutCounting factory");
            assertThat(delegateTimeouts.get()).isEqualTo(2);   // the wrapped factory still heard its timeout
            assertThat(rc.status()).isEqualTo(Status.WARN);
            assertThat(rc.details()).containsEntry("timeoutSource", "none");
            assertThat(rc.output()).get().asString().contains("borrower timeouts are not visible for this pool");
            assertThat(logs.lines()).singleElement().asString().contains("pool 'foreign'")
                    .contains("HikariPoolWatchdog.timeoutCounting(factory)");
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
            assertThat(warn.output()).contains("pool busy: 80.0% in use (4 of 5), 0 thread(s) waiting; "
                    + "no borrower timed out in the last 30 s");
            assertThat(warn.details()).containsEntry("active", 4).containsEntry("max", 5).containsEntry("connectionTimeoutMs", 10_000L);
            for (Connection c : held) {
                c.close();
            }
            assertThat(watchdog.registration().name()).isEqualTo("hikari:utilization");
            assertThat(watchdog.registration().critical()).isFalse();
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
            assertThatThrownBy(() -> HikariPoolWatchdog.builder(lazy).timeoutWindow(Duration.ofMillis(-5)))
                    .hasMessage("timeoutWindow must be positive, but was PT-0.005S: use e.g. Duration.ofSeconds(30)");
            assertThatThrownBy(() -> HikariPoolWatchdog.timeoutCounting(null)).hasMessageContaining("delegate");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<Long> pids(String application) {
        return Pg.longs(observer, "SELECT pid FROM pg_stat_activity WHERE application_name = '" + application + "' ORDER BY pid");
    }
}
