package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.Ops;
import java.sql.Connection;
import org.junit.jupiter.api.Test;

/** HikariCP's own Micrometer tracker, on a real pool over H2 in memory. */
class HikariMetricsTest {

    private static HikariConfig config(String name) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
        config.setPoolName(name);
        config.setMaximumPoolSize(2);
        return config;
    }

    @Test
    void aPoolBoundBeforeItStartsShowsItsSeriesInTheScrape() throws Exception {
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Ops ops = Ops.builder().meterRegistry(prometheus).build()) {
            HikariConfig config = config("before");
            assertThat(HikariMetrics.bind(config, ops.meterRegistry())).isTrue();
            try (HikariDataSource pool = new HikariDataSource(config); Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
                String scrape = prometheus.scrape();
                assertThat(scrape).contains("hikaricp_connections{pool=\"before\"}",
                        "hikaricp_connections_active{pool=\"before\"} 1", "hikaricp_connections_max{pool=\"before\"} 2",
                        "hikaricp_connections_timeout_total{pool=\"before\"}");
                // the JVM series Ops binds are in the same scrape
                assertThat(scrape).contains("jvm_memory_used_bytes", "process_uptime_seconds");
            }
        }
    }

    @Test
    void aRunningPoolCanBeBoundOnceAndBindingAgainChangesNothing() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (HikariDataSource pool = new HikariDataSource(config("running"))) {
            pool.getConnection().close();
            assertThat(HikariMetrics.bind(pool, registry)).isTrue();
            assertThat(HikariMetrics.bind(pool, registry)).isFalse();
            assertThat(registry.find("hikaricp.connections").tag("pool", "running").gauges()).hasSize(1);
        }
    }

    @Test
    void aPoolWithMetricsOfItsOwnIsLeftAsItIs() {
        HikariConfig config = config("own");
        MetricsTrackerFactory own = (name, stats) -> new IMetricsTracker() { };
        config.setMetricsTrackerFactory(own);
        assertThat(HikariMetrics.bind(config, new SimpleMeterRegistry())).isFalse();
        assertThat(config.getMetricsTrackerFactory()).isSameAs(own);
        assertThat(config.getMetricRegistry()).isNull();

        HikariConfig other = config("other");
        other.setMetricRegistry(new SimpleMeterRegistry());
        assertThat(HikariMetrics.bind(other, new SimpleMeterRegistry())).isFalse();
    }
}
