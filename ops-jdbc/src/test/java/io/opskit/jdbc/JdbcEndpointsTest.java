package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opskit.core.Attachment;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.correlation.CorrelationId;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.OpsAccess;
import io.opskit.core.endpoint.OpsSurface;
import io.opskit.core.endpoint.OpsSurfaceConfig;
import io.opskit.core.endpoint.Role;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JdbcEndpointsTest {

    private static final String VIEWER = "viewer-token-0123456789";
    private static final ObjectMapper JSON = new ObjectMapper();
    private Ops ops;
    private HikariDataSource pool;
    private HikariPoolWatchdog watchdog;
    private OpsSurface surface;

    @BeforeEach
    void wire() {
        ops = Ops.builder().build();
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:h2:mem:endpoints;DB_CLOSE_DELAY=-1");
        c.setPoolName("orders");
        c.setMaximumPoolSize(4);
        pool = new HikariDataSource(c);
        watchdog = HikariPoolWatchdog.builder(pool).build();
        surface = OpsSurface.builder(ops, OpsSurfaceConfig.builder()
                .access(OpsAccess.builder().token("dashboard", VIEWER, Role.VIEWER).build()).build()).build();
    }

    @AfterEach
    void close() {
        watchdog.close();
        pool.close();
        ops.close();
    }

    private JsonNode get(String path) throws Exception {
        EndpointResponse r = surface.handle(EndpointRequest.of("GET", path, Map.of("Authorization", "Bearer " + VIEWER), new byte[0]));
        assertThat(r.status()).as(path).isEqualTo(200);
        return JSON.readTree(r.bodyText());
    }

    @Test
    void wiringContributesLeaksWithEveryHeldConnectionSlowQueriesAndThePool() throws Exception {
        LeakTracker leaks = LeakTracker.builder().threshold(Duration.ofMillis(1)).build();
        QueryMonitor queries = QueryMonitor.builder().slowThreshold(Duration.ofNanos(1)).build();
        DataSource app = JdbcOps.instrument(pool, leaks, queries);
        ops.attach(leaks, queries, watchdog);
        assertThat(surface.handle(EndpointRequest.of("GET", "/ops/leaks", Map.of(), new byte[0])).status()).isEqualTo(401);

        try (CorrelationId.Scope scope = CorrelationId.open("req-42"); Connection held = app.getConnection();
             Statement st = held.createStatement()) {
            st.execute("select 1");
            JsonNode l = get("/ops/leaks");
            assertThat(l.get("openConnections").asInt()).isEqualTo(1);
            JsonNode h = l.get("held").get(0);
            assertThat(h.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
            assertThat(h.get("correlationId").asText()).isEqualTo("req-42");
            assertThat(h.get("heldMs").asLong()).isGreaterThanOrEqualTo(0);
            assertThat(h.get("borrowStack").toString()).contains("JdbcEndpointsTest");

            JsonNode p = get("/ops/pool");
            assertThat(p.get("pool").asText()).isEqualTo("orders");
            assertThat(p.get("active").asInt()).isEqualTo(1);
            assertThat(p.get("max").asInt()).isEqualTo(4);
        }
        JsonNode q = get("/ops/slow-queries");
        assertThat(q.get("slowQueries").toString()).contains("select");
    }

    @Test
    void attachingRegistersExactlyTheChecksMetersAndEndpointsOfEachPartAndDetachingRemovesThem() throws Exception {
        LeakTracker leaks = LeakTracker.create();
        QueryMonitor queries = QueryMonitor.create();
        IdleConnectionReaper reaper = IdleConnectionReaper.unpooled(pool).build();
        Attachment attachment = ops.attach(leaks, queries, watchdog, reaper);

        assertThat(attachment.checks()).containsExactly(LeakTracker.DEFAULT_CHECK_NAME, QueryMonitor.DEFAULT_NAME,
                "hikari:utilization", "postgres:reaper");
        assertThat(ops.registrations()).extracting(CheckRegistration::name)
                .containsExactlyInAnyOrderElementsOf(attachment.checks());
        assertThat(attachment.endpoints()).containsExactly("/ops/leaks", "/ops/slow-queries", "/ops/pool");
        assertThat(attachment.meters()).extracting(Meter.Id::getName).contains("opskit.db.connections.open",
                "opskit.db.connections.leaked", "opskit.db.query", "opskit.db.pool.utilization", "opskit.reaper.terminated");
        MeterRegistry registry = ops.meterRegistry();
        assertThat(registry.find("opskit.db.connections.leaked").counters()).hasSize(1);
        // attaching starts nothing: the watchdog has not sampled, the reaper has not run
        assertThat(watchdog.latest()).isEmpty();
        assertThat(reaper.lastRun()).isEmpty();

        assertThatThrownBy(() -> ops.attach(leaks)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is already attached to this Ops");
        assertThat(registry.find("opskit.db.connections.leaked").counters()).hasSize(1);

        attachment.close();
        assertThat(ops.registrations()).isEmpty();
        assertThat(ops.endpoints().list()).isEmpty();
        assertThat(registry.find("opskit.db.connections.open").gauges()).isEmpty();
        assertThat(registry.find("opskit.db.query").timers()).isEmpty();
        assertThat(registry.find("opskit.db.pool.utilization").gauges()).isEmpty();
        assertThat(registry.find("opskit.reaper.terminated").counters()).isEmpty();
        reaper.close();
    }

    @Test
    void aSecondMonitorOfTheSameAppKeepsItsCheckAndLeavesTheEndpointToTheFirst() {
        Attachment first = ops.attach(QueryMonitor.create());
        Attachment second = ops.attach(QueryMonitor.builder().name("reports-db:responseTime").build());
        assertThat(second.checks()).containsExactly("reports-db:responseTime");
        assertThat(second.endpoints()).isEmpty();
        assertThat(first.endpoints()).containsExactly("/ops/slow-queries");
    }
}
