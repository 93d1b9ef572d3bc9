package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Spring MVC's http.server.requests and opskit's meters side by side on one Prometheus registry, each bound once. */
class PrometheusMetricsTest {

    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private static Services services;
    private static ConfigurableApplicationContext app;

    @RestController
    static class Hello {
        @GetMapping("/hello")
        String hello() {
            return "hello";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Hello.class)
    static class App {
    }

    @BeforeAll
    static void start() {
        LOG.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOG);
        services = Services.start();
        app = TestApps.start(new Class<?>[] {App.class}, services.properties());
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOG);
        if (app != null) {
            app.close();
        }
        if (services != null) {
            services.close();
        }
    }

    @Test
    void aScrapeHoldsSpringsHttpServerRequestsWithItsOwnTagsAndOpskitsMeters() {
        for (int i = 0; i < 3; i++) {
            assertThat(TestApps.get(app, "/hello", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String scrape = TestApps.get(app, "/actuator/prometheus", Duration.ofSeconds(5)).body();
            assertThat(scrape).containsPattern(
                    "http_server_requests_seconds_count\\{error=\"none\",exception=\"none\",method=\"GET\",outcome=\"SUCCESS\","
                            + "status=\"200\",uri=\"/hello\"} [0-9]+");
            assertThat(scrape).contains("opskit_health_status{", "opskit_db_pool_utilization", "hikaricp_connections",
                    "opskit_redis_", "jvm_memory_used_bytes");
        });
    }

    @Test
    void opskitsHttpFilterBacksOffAndEveryMeterIsBoundOnce() {
        assertThat(TestApps.get(app, "/hello", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        assertThat(app.containsBean("opsHttpMetricsFilter")).isFalse();
        MeterRegistry registry = app.getBean(MeterRegistry.class);
        // the observation stops after the response is written: wait for it rather than race it
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(registry.find("http.server.requests").tag("uri", "/hello").timers()).hasSize(1));
        assertThat(registry.find("opskit.db.pool.utilization").meters()).hasSize(1);
        assertThat(registry.find("hikaricp.connections").meters()).hasSize(1);
        // Boot binds the JVM binders and opskit does not bind them again: one GC listener, one count
        assertThat(app.getBean(io.opskit.core.Ops.class).meterRegistry()).isSameAs(registry);
        assertThat(registry.find("jvm.gc.memory.allocated").meters()).hasSize(1);
        assertThat(LOG.list).extracting(ILoggingEvent::getFormattedMessage).noneMatch(m -> m.contains("CompositeMeterRegistry"));
        assertThat(LOG.list).extracting(ILoggingEvent::getFormattedMessage)
                .noneMatch(m -> m.contains("already registered") || m.contains("already been registered")
                        || m.contains("already has registered Meters"));
    }
}
