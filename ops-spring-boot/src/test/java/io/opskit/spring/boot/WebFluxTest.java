package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.opskit.core.ActionEvent;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A Spring WebFlux application (Reactor Netty): Actuator's reactive health endpoint answers from
 * opskit's snapshot too, the application's indicators run on opskit's workers, and one that hangs is
 * DOWN at its deadline while the endpoint keeps answering.
 */
class WebFluxTest {

    private static final CountDownLatch NEVER = new CountDownLatch(1);
    private static ConfigurableApplicationContext app;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        InventoryIndicator inventoryHealthIndicator() {
            return new InventoryIndicator();
        }

        @Bean
        TestIndicator stuckHealthIndicator() {
            return () -> {
                try {
                    NEVER.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return TestHealth.up();
            };
        }
    }

    @BeforeAll
    static void start() {
        app = TestApps.startReactive(new Class<?>[] {App.class},
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS,
                "opskit.checks.stuck.timeout=500ms", "opskit.checks.stuck.interval=1s",
                "management.endpoints.web.exposure.include=health,opskit");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theReactiveHealthEndpointShowsTheIndicatorsAsOpskitRunsThem() {
        Ops ops = app.getBean(Ops.class);
        assertThat(ops.registrations()).extracting(CheckRegistration::name).contains("inventory:health", "stuck:health");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode inventory = TestApps.json(TestApps.get(app, "/actuator/health/inventory", Duration.ofSeconds(2)));
            assertThat(inventory.path("status").asText()).isEqualTo("UP");
            assertThat(inventory.path("details").path("items").asInt()).isEqualTo(42);
            JsonNode health = TestApps.json(TestApps.get(app, "/actuator/health", Duration.ofSeconds(2)));
            assertThat(health.path("components").path("opskit").path("components").has("lifecycle:state")).isTrue();
        });
        assertThat(app.getBean(InventoryIndicator.class).threads()).isNotEmpty().noneMatch(t -> t.startsWith("reactor-http"));
    }

    @Test
    void aHungIndicatorIsDownAtItsDeadlineAndNeverHoldsUpTheEndpoint() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode stuck = TestApps.json(TestApps.get(app, "/actuator/health/stuck", Duration.ofSeconds(2)));
            assertThat(stuck.path("status").asText()).isEqualTo("DOWN");
            assertThat(stuck.path("details").path("output").asText()).contains("timed out after 500ms");
        });
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = TestApps.get(app, "/actuator/health", Duration.ofSeconds(2));
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(TestApps.json(r).path("components").path("stuck").path("status").asText()).isEqualTo("DOWN");
        }
    }

    @Test
    void theOpskitEndpointAnswersOverWebFluxReadOnlyByDefault() {
        int port = TestApps.port(app);
        HttpResponse<byte[]> index = TestApps.send(port, "GET", "/actuator/opskit", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(TestApps.json(index.body()).path("endpoints").toString()).contains("\"events\"", "\"info\"");
        Ops ops = app.getBean(Ops.class);
        for (int i = 0; i < 3; i++) {
            ops.events().publish(ActionEvent.of("test", "flux-" + i, "flux " + i, Map.of()));
        }
        // query parameters reach opskit through Actuator's binding on WebFlux too
        HttpResponse<byte[]> events = TestApps.send(port, "GET", "/actuator/opskit/events?limit=2", null);
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(TestApps.json(events.body()).path("events").size()).isEqualTo(2);
        assertThat(TestApps.json(events.body()).path("events").toString()).contains("flux-2");
        assertThat(TestApps.send(port, "POST", "/actuator/opskit/maintenance", "{\"enabled\":true}").statusCode())
                .as("operator actions need management.endpoint.opskit.access=unrestricted").isEqualTo(405);
    }
}
