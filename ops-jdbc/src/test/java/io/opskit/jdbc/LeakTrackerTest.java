package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import io.opskit.core.Status;
import io.opskit.core.correlation.CorrelationId;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class LeakTrackerTest {

    private static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:leaks;DB_CLOSE_DELAY=-1");
        return ds;
    }

    @Test
    void aBorrowedConnectionIsRecordedWithThreadCorrelationIdAndStackUntilClosed() throws Exception {
        LeakTracker leaks = LeakTracker.builder().threshold(Duration.ofNanos(1)).build();
        DataSource ds = leaks.wrap(h2());

        Connection c;
        try (CorrelationId.Scope s = CorrelationId.open("req-9")) {
            c = ds.getConnection();
        }

        assertThat(leaks.openCount()).isEqualTo(1);
        assertThat(leaks.leakSuspects()).singleElement().satisfies(s -> {
            assertThat(s.threadName()).isEqualTo(Thread.currentThread().getName());
            assertThat(s.threadId()).isEqualTo(Thread.currentThread().getId());
            assertThat(s.correlationId()).contains("req-9");
            assertThat(s.borrowStack().get(0)).contains("LeakTrackerTest.aBorrowedConnectionIsRecorded");
            assertThat(s.describe()).contains("req-9").contains("LeakTrackerTest");
        });
        c.close();
        assertThat(leaks.openCount()).isZero();
        assertThat(leaks.leakSuspects()).isEmpty();
    }

    @Test
    void onlyConnectionsHeldPastTheThresholdAreSuspects() throws Exception {
        LeakTracker leaks = LeakTracker.builder().threshold(Duration.ofHours(1)).captureStackTraces(false).build();
        DataSource ds = leaks.wrap(h2());

        try (Connection c = ds.getConnection()) {
            assertThat(leaks.leakSuspects()).isEmpty();
            assertThat(leaks.openConnections()).singleElement().satisfies(s -> assertThat(s.borrowStack()).isEmpty());
        }
    }

    @Test
    void openConnectionsSuspectsAndLateReturnsAreCounted() throws Exception {
        LeakTracker leaks = LeakTracker.builder().threshold(Duration.ofNanos(1)).build();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        leaks.bindTo(registry);
        DataSource ds = leaks.wrap(h2());

        Connection first = ds.getConnection();
        Connection second = ds.getConnection();
        assertThat(registry.get("opskit.db.connections.open").gauge().value()).isEqualTo(2.0);
        assertThat(registry.get("opskit.db.connections.leak.suspects").gauge().value()).isEqualTo(2.0);
        first.close();
        second.close();
        first.close();   // a second close is harmless

        assertThat(registry.get("opskit.db.connections.open").gauge().value()).isZero();
        assertThat(registry.get("opskit.db.connections.leaked").counter().count()).isEqualTo(2.0);
    }

    @Test
    void oneInstrumentedWrapperTracksLeaksAndTimesStatements() throws Exception {
        LeakTracker leaks = LeakTracker.create();
        QueryMonitor queries = QueryMonitor.builder().slowThreshold(Duration.ofNanos(1)).build();
        DataSource ds = JdbcOps.instrument(h2(), leaks, queries);

        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 'x', 42")) {
            assertThat(rs.next()).isTrue();
            assertThat(leaks.openCount()).isEqualTo(1);
        }

        assertThat(leaks.openCount()).isZero();
        assertThat(queries.slowQueries()).singleElement().satisfies(q -> assertThat(q.sql()).isEqualTo("SELECT ?, ?"));
        assertThat(ds.unwrap(JdbcDataSource.class)).isNotNull();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLeakCheckWarnsNamingHeldConnectionsThroughOps() throws Exception {
        LeakTracker leaks = LeakTracker.builder().threshold(Duration.ofNanos(1)).build();
        QueryMonitor queries = QueryMonitor.create();
        DataSource ds = JdbcOps.instrument(h2(), leaks, queries);
        try (Ops ops = Ops.builder().build(); Connection held = ds.getConnection()) {
            ops.attach(leaks, queries);
            ops.start();

            CheckState leak = ops.refresh(LeakTracker.DEFAULT_CHECK_NAME).get(5, TimeUnit.SECONDS);

            assertThat(leak.status()).isEqualTo(Status.WARN);
            assertThat(leak.result().output()).hasValueSatisfying(o -> assertThat(o).contains("1 connection(s) held longer than"));
            assertThat((List<Map<String, Object>>) leak.result().details().get("leakSuspects")).singleElement()
                    .satisfies(s -> assertThat(s.get("borrowStack").toString()).contains("theLeakCheckWarnsNamingHeldConnectionsThroughOps"));
            assertThat(ops.meterRegistry().get("opskit.db.connections.open").gauge().value()).isEqualTo(1.0);
            assertThat(ops.refresh(QueryMonitor.DEFAULT_NAME).get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.PASS);
        }
    }

    @Test
    void theBuilderRejectsBadValuesNamingFieldValueAndFix() {
        assertThatThrownBy(() -> LeakTracker.builder().threshold(Duration.ZERO))
                .hasMessageContaining("threshold").hasMessageContaining("PT0S").hasMessageContaining("Duration.ofSeconds(30)");
        assertThatThrownBy(() -> LeakTracker.builder().maxStackDepth(0)).hasMessageContaining("maxStackDepth").hasMessageContaining("0");
        assertThatThrownBy(() -> LeakTracker.builder().name("leaks")).hasMessageContaining("name").hasMessageContaining("'leaks'");
        assertThat(LeakTracker.builder().name("orders-db:connectionLeaks").build().registration().name())
                .isEqualTo("orders-db:connectionLeaks");
    }
}
