package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** An indicator that hangs for 30 s never holds up /actuator/health: it is DOWN at its deadline. */
class HungIndicatorTest {

    private static ConfigurableApplicationContext app;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        TestIndicator slowHealthIndicator() {
            return () -> {
                try {
                    Thread.sleep(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return TestHealth.up();
            };
        }

        @Bean
        TestIndicator fastHealthIndicator() {
            return () -> TestHealth.up().withDetail("answer", 42);
        }
    }

    @BeforeAll
    static void start() {
        app = TestApps.start(new Class<?>[] {App.class},
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS,
                "opskit.checks.slow.timeout=500ms", "opskit.checks.slow.interval=1s",
                "management.endpoint.health.group.custom.include=fast,slow");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void healthNeverWaitsForAHungIndicator() {
        TestApps.get(app, "/actuator/health", Duration.ofSeconds(10));     // the first request initializes Spring MVC
        for (int i = 0; i < 50; i++) {
            // the client gives up after 2 s, far below the 30 s hang and below the indicator's own 500 ms deadline
            // plus a loaded CI machine's hiccups; how fast it answers is measured by benchmarks/run.sh ("hang")
            HttpResponse<String> r = TestApps.get(app, "/actuator/health", Duration.ofSeconds(2));
            assertThat(r.statusCode()).isIn(200, 503);
            HttpResponse<String> group = TestApps.get(app, "/actuator/health/custom", Duration.ofSeconds(2));
            assertThat(group.statusCode()).isIn(200, 503);
        }
    }

    @Test
    void theHungIndicatorIsDownAtItsDeadline() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> r = TestApps.get(app, "/actuator/health", Duration.ofSeconds(2));
            JsonNode slow = TestApps.json(r).path("components").path("slow");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(slow.path("status").asText()).isEqualTo("DOWN");
            assertThat(slow.path("details").path("output").asText()).startsWith("timed out after 500ms");
        });
        JsonNode fast = TestApps.json(TestApps.get(app, "/actuator/health/fast", Duration.ofSeconds(2)));
        assertThat(fast.path("status").asText()).isEqualTo("UP");
        assertThat(fast.path("details").path("answer").asInt()).isEqualTo(42);
    }

    @Test
    void groupsAndComponentPathsStayBoots() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            HttpResponse<String> group = TestApps.get(app, "/actuator/health/custom", Duration.ofSeconds(2));
            assertThat(group.statusCode()).isEqualTo(503);
            assertThat(TestApps.json(group).path("components").has("fast")).isTrue();
            assertThat(TestApps.json(group).path("components").has("diskSpace")).isFalse();
        });
        assertThat(TestApps.get(app, "/actuator/health/nosuch", Duration.ofSeconds(2)).statusCode()).isEqualTo(404);
    }
}
