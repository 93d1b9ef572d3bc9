package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.opskit.core.Ops;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.CompositeReactiveHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.ReactiveHealthContributor;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/**
 * Boot 3's reactive contributors run inside opskit as blocking ones ({@link BlockingContributors}): a
 * composite keeps its shape, and a reactive indicator whose {@code Mono} never completes is DOWN at its
 * deadline while {@code /actuator/health} keeps answering.
 */
class ReactiveIndicatorsTest {

    private static ConfigurableApplicationContext app;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        ReactiveHealthContributor replicasHealthContributor() {
            Map<String, ReactiveHealthIndicator> replicas = new LinkedHashMap<>();
            replicas.put("primary", () -> Mono.just(Health.up().withDetail("lag", 0).build()));
            replicas.put("secondary", Mono::never);
            return CompositeReactiveHealthContributor.fromMap(replicas);
        }
    }

    @BeforeAll
    static void start() {
        app = TestApps.start(new Class<?>[] {App.class},
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS,
                "opskit.checks.replicas.timeout=500ms", "opskit.checks.replicas.interval=1s");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aReactiveCompositeKeepsItsShapeAndItsLeavesRunInOpskit() {
        assertThat(app.getBean(Ops.class).check("replicas:primary")).isPresent();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode primary = TestApps.json(TestApps.get(app, "/actuator/health/replicas/primary", Duration.ofSeconds(2)));
            assertThat(primary.path("status").asText()).isEqualTo("UP");
            assertThat(primary.path("details").path("lag").asInt()).isZero();
        });
    }

    @Test
    void aMonoThatNeverCompletesIsDownAtItsDeadlineAndNeverHoldsUpTheEndpoint() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode secondary = TestApps.json(TestApps.get(app, "/actuator/health/replicas/secondary", Duration.ofSeconds(2)));
            assertThat(secondary.path("status").asText()).isEqualTo("DOWN");
            assertThat(secondary.path("details").path("output").asText()).contains("timed out after 500ms");
        });
        for (int i = 0; i < 20; i++) {
            assertThat(TestApps.get(app, "/actuator/health", Duration.ofSeconds(2)).statusCode()).isEqualTo(503);
        }
    }
}
