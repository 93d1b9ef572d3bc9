package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.HealthEndpoint;
import io.opskit.core.endpoint.ShowDetails;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Adding the starter is all it takes: a real Boot application on PostgreSQL and Redis. */
class StarterWiringTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Services services;
    private static ConfigurableApplicationContext app;

    /** The application: no opskit code at all, one health indicator of its own. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        InventoryIndicator inventoryHealthIndicator() {
            return new InventoryIndicator();
        }
    }

    @BeforeAll
    static void start() {
        services = Services.start();
        app = TestApps.start(new Class<?>[] {App.class}, services.properties());
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (services != null) {
            services.close();
        }
    }

    @Test
    void actuatorHealthShowsBootsIndicatorsAndOpskitsChecks() {
        await().atMost(WAIT).untilAsserted(() -> {
            HttpResponse<String> r = TestApps.get(app, "/actuator/health", Duration.ofSeconds(5));
            JsonNode components = TestApps.json(r).path("components");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(components.path("db").path("status").asText()).isEqualTo("UP");
            assertThat(components.path("db").path("details").path("database").asText()).isEqualTo("PostgreSQL");
            assertThat(components.path("redis").path("status").asText()).isEqualTo("UP");
            assertThat(components.path("inventory").path("details").path("items").asInt()).isEqualTo(42);
            JsonNode opskit = components.path("opskit").path("components");
            assertThat(opskit.path("db:connection").path("status").asText()).isEqualTo("UP");
            assertThat(opskit.path("postgres:connections").path("status").asText()).isEqualTo("UP");
            assertThat(opskit.path("hikari:utilization").path("status").asText()).isEqualTo("UP");
            assertThat(opskit.path("redis:responseTime").path("status").asText()).isEqualTo("UP");
            assertThat(opskit.path("redis:connection").path("status").asText()).isEqualTo("UP");
        });
    }

    @Test
    void bootsIndicatorsRunInsideOpskitsEngineAndNeverOnTheRequestThread() {
        Ops ops = app.getBean(Ops.class);
        assertThat(ops.registrations()).extracting(CheckRegistration::name)
                .contains("db:health", "redis:health", "diskSpace:health", "inventory:health");
        assertThat(ops.registrations()).filteredOn(r -> r.name().equals("inventory:health"))
                .allSatisfy(r -> assertThat(r.componentType()).isEqualTo("actuator"));
        for (int i = 0; i < 5; i++) {
            TestApps.get(app, "/actuator/health", Duration.ofSeconds(5));
        }
        assertThat(app.getBean(InventoryIndicator.class).threads()).isNotEmpty().noneMatch(t -> t.startsWith("http-nio"));
    }

    @Test
    void redisIsACacheByDefaultAndItsChecksAreNotCritical() {
        Ops ops = app.getBean(Ops.class);
        // opskit connects to Redis in the background (a Redis down at start never stops the application)
        await().atMost(WAIT).untilAsserted(() -> assertThat(ops.registrations()).extracting(CheckRegistration::name)
                .contains("redis:responseTime", "redis:connection"));
        assertThat(ops.registrations()).filteredOn(r -> r.name().startsWith("redis:") && !r.name().equals("redis:health"))
                .isNotEmpty().allSatisfy(r -> assertThat(r.critical()).as(r.name()).isFalse());
    }

    @Test
    void theApplicationsDataSourceIsWatchedForLeaksAndSlowQueries() {
        Ops ops = app.getBean(Ops.class);
        new JdbcTemplate(app.getBean(javax.sql.DataSource.class)).queryForObject("SELECT 1", Integer.class);
        assertThat(ops.registrations()).extracting(CheckRegistration::name)
                .contains("db:connection", "db:connectionLeaks", "db:responseTime", "hikari:utilization");
        assertThat(app.getBean(OpsDataSources.class).queryMonitor().p95()).isNotNull();
        assertThat(ops.meterRegistry().find("opskit.db.query").timers()).isNotEmpty();
    }

    @Test
    void opskitsJackson2AndBootsJacksonCoexist() throws Exception {
        // Boot 4 serializes /actuator/health with Jackson 3 (tools.jackson), Boot 3 with Jackson 2;
        // opskit writes its own JSON with Jackson 2
        assertThat(app.getBeansOfType(Class.forName(BootLine.JSON_MAPPER))).isNotEmpty();
        String opskitJson = HealthEndpoint.create(app.getBean(Ops.class), ShowDetails.ALWAYS)
                .handle("", EndpointRequest.of("GET", "127.0.0.1")).bodyText();
        JsonNode parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(opskitJson);
        assertThat(parsed.path("checks").has("db:connection")).isTrue();
        HttpResponse<String> boot = TestApps.get(app, "/actuator/health", Duration.ofSeconds(5));
        assertThat(TestApps.json(boot).path("status").asText()).isIn("UP", "DOWN");
        assertThat(Map.of("serviceId", parsed.path("serviceId").asText())).containsEntry("serviceId", "application");
    }
}
