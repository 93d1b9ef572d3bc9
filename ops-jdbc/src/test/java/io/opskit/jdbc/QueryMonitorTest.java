package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.opskit.core.correlation.CorrelationId;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueryMonitorTest {

    static EmbeddedPostgres pg;
    static DataSource observer;

    @BeforeAll
    static void startServer() throws IOException {
        pg = Pg.start();
        observer = Pg.admin(pg, "observer");
        Pg.exec(observer, "CREATE TABLE victims(id int)");
    }

    @AfterAll
    static void stopServer() throws IOException {
        pg.close();
    }

    @Test
    void aSlowStatementShowsInTheRingWithItsCorrelationIdAndNoLiterals() throws SQLException {
        QueryMonitor monitor = QueryMonitor.builder().slowThreshold(Duration.ofMillis(100)).build();
        DataSource ds = monitor.wrap(Pg.admin(pg, "app"));

        try (CorrelationId.Scope s = CorrelationId.open("req-42"); Connection c = ds.getConnection();
             Statement st = c.createStatement()) {
            st.execute("SELECT pg_sleep(0.2), 'Jane Customer' AS who, 12345 AS card");
            st.execute("SELECT 1");
        }

        assertThat(monitor.slowQueries()).singleElement().satisfies(q -> {
            assertThat(q.sql()).isEqualTo("SELECT pg_sleep(?), ? AS who, ? AS card");
            assertThat(q.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
            assertThat(q.correlationId()).contains("req-42");
            assertThat(q.success()).isTrue();
        });
        assertThat(monitor.slowQueryCount()).isEqualTo(1);
    }

    @Test
    void theRingIsBoundedAndListsTheSlowestFirst() throws SQLException {
        QueryMonitor monitor = QueryMonitor.builder().slowThreshold(Duration.ofNanos(1)).capacity(3).build();
        DataSource ds = monitor.wrap(Pg.admin(pg, "app"));

        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT pg_sleep(?)")) {
            for (double seconds : new double[] {0.03, 0.0, 0.06, 0.0, 0.0}) {
                ps.setDouble(1, seconds);
                ps.execute();
            }
        }

        List<SlowQuery> slow = monitor.slowQueries();
        assertThat(slow).hasSize(3);
        assertThat(slow.get(0).duration()).isGreaterThanOrEqualTo(Duration.ofMillis(60));
        assertThat(slow).isSortedAccordingTo((a, b) -> b.duration().compareTo(a.duration()));
        assertThat(monitor.slowQueryCount()).isEqualTo(5);
    }

    @Test
    void theResponseTimeCheckWarnsOnASlowP95AndPassesOnAFastOne() throws Exception {
        QueryMonitor fast = QueryMonitor.create();
        QueryMonitor slow = QueryMonitor.builder().warnAboveP95(Duration.ofMillis(20)).slowThreshold(Duration.ofMillis(20))
                .minStatements(5).build();
        assertThat(fast.check().check().output()).contains("no statements yet");

        run(fast.wrap(Pg.admin(pg, "app")), "SELECT 1", 20);
        run(slow.wrap(Pg.admin(pg, "app")), "SELECT pg_sleep(0.03)", 5);

        Result ok = fast.check().check();
        assertThat(ok.status()).isEqualTo(Status.PASS);
        assertThat(ok.observedUnit()).contains("ms");
        assertThat(ok.details()).containsEntry("statements", 20L);
        Result warn = slow.check().check();
        assertThat(warn.status()).isEqualTo(Status.WARN);
        assertThat((Double) warn.observedValue().orElseThrow()).isGreaterThanOrEqualTo(30.0);
        assertThat(warn.output()).hasValueSatisfying(o -> assertThat(o).contains("above 20 ms"));
        assertThat(warn.details()).containsKey("slowest");
        assertThat(slow.registration().name()).isEqualTo("db:responseTime");
    }

    @Test
    void aP95OfAFewStatementsIsNotJudgedUntilTwentyRanInTheWindow() throws Exception {
        QueryMonitor monitor = QueryMonitor.builder().warnAboveP95(Duration.ofMillis(20)).build();
        DataSource ds = monitor.wrap(Pg.admin(pg, "app"));

        run(ds, "SELECT pg_sleep(0.03)", 2);
        Result two = monitor.check().check();
        run(ds, "SELECT pg_sleep(0.03)", 18);
        Result twenty = monitor.check().check();

        assertThat(two.status()).isEqualTo(Status.PASS);
        assertThat(two.output()).get().asString().startsWith("not judged: 2 statements in the last").endsWith("need 20");
        assertThat(two.observedValue()).isEmpty();
        assertThat(two.details()).containsEntry("statements", 2L).containsEntry("minStatements", 20);
        assertThat((Double) two.details().get("p95Ms")).isGreaterThanOrEqualTo(30.0);
        assertThat(twenty.status()).isEqualTo(Status.WARN);
        assertThat(twenty.details()).containsEntry("statements", 20L);
    }

    @Test
    void statementsOlderThanTheWindowNoLongerCountTowardsTheMinimum() throws Exception {
        AtomicLong nanos = new AtomicLong();
        QueryMonitor monitor = QueryMonitor.builder().warnAboveP95(Duration.ofMillis(20)).minStatements(10)
                .window(Duration.ofMinutes(1)).nanoClock(nanos::get).build();
        DataSource ds = monitor.wrap(Pg.admin(pg, "app"));

        run(ds, "SELECT pg_sleep(0.03)", 10);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        Result judged = monitor.check().check();
        nanos.addAndGet(Duration.ofSeconds(61).toNanos());
        Result aWindowLater = monitor.check().check();
        run(ds, "SELECT 1", 3);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        Result threeNew = monitor.check().check();

        assertThat(judged.status()).isEqualTo(Status.WARN);
        assertThat(aWindowLater.output()).contains("not judged: 0 statements in the last 61 s, need 10");
        assertThat(threeNew.status()).isEqualTo(Status.PASS);
        assertThat(threeNew.details()).containsEntry("statements", 3L);
    }

    @Test
    void everyStatementIsTimedInTheBoundRegistryWithPercentiles() throws SQLException {
        QueryMonitor monitor = QueryMonitor.builder().dataSourceName("orders").build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        monitor.bindTo(registry);
        DataSource ds = monitor.wrap(Pg.admin(pg, "app"));

        run(ds, "SELECT 1", 10);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT * FROM no_such_table");
        } catch (SQLException expected) {
            // counted as an error
        }

        Timer timer = registry.get("opskit.db.query").tag("datasource", "orders").timer();
        assertThat(timer.count()).isEqualTo(11);
        assertThat(timer.takeSnapshot().percentileValues()).extracting(v -> v.percentile()).contains(0.5, 0.95, 0.99);
        assertThat(registry.get("opskit.db.query.errors").counter().count()).isEqualTo(1.0);
    }

    @Test
    void bindingARegistryLogsNoWarningAndTheCheckStillSeesEveryStatement() throws Exception {
        QueryMonitor monitor = QueryMonitor.builder().dataSourceName("quiet").build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (LogCapture micrometer = new LogCapture(io.micrometer.core.instrument.composite.CompositeMeterRegistry.class)) {
            monitor.bindTo(registry);
            assertThat(micrometer.lines()).isEmpty();   // was: "A MeterRegistry is being added to this CompositeMeterRegistry…"
        }
        run(monitor.wrap(Pg.admin(pg, "app")), "SELECT 1", 3);
        assertThat(registry.get("opskit.db.query").tag("datasource", "quiet").timer().count()).isEqualTo(3);
        assertThat(monitor.check().check().details()).containsEntry("statements", 3L);
    }

    @Test
    void theCorrelationCommentShowsInPgStatActivity() throws Exception {
        QueryMonitor monitor = QueryMonitor.builder().commentCorrelationId(true).build();
        DataSource ds = monitor.wrap(Pg.admin(pg, "commented"));

        CompletableFuture<Void> running = CompletableFuture.runAsync(() -> {
            try (CorrelationId.Scope s = CorrelationId.open("req-7f3a"); Connection c = ds.getConnection();
                 Statement st = c.createStatement()) {
                st.execute("SELECT pg_sleep(30)");   // cancelled below, once seen
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        String seen = "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'commented'"
                + " AND query = '/*correlation_id=''req-7f3a''*/ SELECT pg_sleep(30)'";
        await().atMost(Duration.ofSeconds(10)).until(() -> Pg.scalar(observer, seen) == 1);
        Pg.scalar(observer, "SELECT count(*) FROM (SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                + " WHERE application_name = 'commented' AND state = 'active') c");
        assertThat(running.handle((ok, cancelled) -> cancelled).get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void aHostileCorrelationIdIsNeverWrittenIntoSql() throws SQLException {
        QueryMonitor monitor = QueryMonitor.builder().commentCorrelationId(true).slowThreshold(Duration.ofNanos(1)).build();
        DataSource ds = monitor.wrap(Pg.admin(pg, "hostile"));
        String hostile = "x'*/ DROP TABLE victims; --";

        try (CorrelationId.Scope s = CorrelationId.open(hostile); Connection c = ds.getConnection();
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT query FROM pg_stat_activity WHERE pid = pg_backend_pid()")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("SELECT query FROM pg_stat_activity WHERE pid = pg_backend_pid()");
        }

        assertThat(Pg.scalar(observer, "SELECT count(*) FROM victims")).isZero();   // the table is still there
        assertThat(monitor.slowQueries()).singleElement().satisfies(q -> assertThat(q.correlationId()).contains(hostile));
    }

    @Test
    void buildersRejectBadValuesNamingFieldValueAndFix() {
        assertThatThrownBy(() -> QueryMonitor.builder().slowThreshold(Duration.ZERO))
                .hasMessageContaining("slowThreshold").hasMessageContaining("PT0S").hasMessageContaining("Duration.ofMillis(50)");
        assertThatThrownBy(() -> QueryMonitor.builder().capacity(0)).hasMessageContaining("capacity").hasMessageContaining("0");
        assertThatThrownBy(() -> QueryMonitor.builder().dataSourceName("a b")).hasMessageContaining("dataSourceName");
        assertThatThrownBy(() -> QueryMonitor.builder().warnAboveP95(Duration.ofMillis(100)).failAboveP95(Duration.ofMillis(10)).build())
                .hasMessageContaining("failAboveP95").hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> QueryMonitor.builder().minStatements(0))
                .hasMessage("minStatements must be between 1 and 1000000, but was 0: use e.g. 20 so that a handful of statements is not judged");
    }

    private static void run(DataSource ds, String sql, int times) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            for (int i = 0; i < times; i++) {
                st.execute(sql);
            }
        }
    }
}
