package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opskit.core.ActionEvent;
import io.opskit.core.Ops;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.OpsAccess;
import io.opskit.core.endpoint.OpsSurface;
import io.opskit.core.endpoint.OpsSurfaceConfig;
import io.opskit.core.endpoint.Role;
import io.opskit.core.maintenance.MaintenanceMode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code opskit} Actuator endpoint on a real Boot application (PostgreSQL behind its DataSource), exposed and
 * with Actuator's default read-only access, and beside it an application that does not expose it.
 */
class OpskitEndpointTest {

    private static Services services;
    private static ConfigurableApplicationContext app;
    private static ConfigurableApplicationContext hidden;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @BeforeAll
    static void start() {
        services = Services.start();
        List<String> properties = new ArrayList<>(List.of(services.properties()));
        properties.add("management.endpoints.web.exposure.include=health,opskit");
        properties.add("spring.autoconfigure.exclude=" + TestApps.NO_REDIS);
        app = TestApps.start(new Class<?>[] {App.class}, properties.toArray(String[]::new));
        hidden = TestApps.start(new Class<?>[] {App.class}, "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + ","
                + TestApps.NO_REDIS);
    }

    @AfterAll
    static void stop() throws Exception {
        for (ConfigurableApplicationContext c : new ConfigurableApplicationContext[] {app, hidden}) {
            if (c != null) {
                c.close();
            }
        }
        if (services != null) {
            services.close();
        }
    }

    private static HttpResponse<byte[]> get(String path, String... headers) {
        return TestApps.send(TestApps.port(app), "GET", path, null, headers);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static String contentType(HttpResponse<byte[]> r) {
        return r.headers().firstValue("Content-Type").orElse("");
    }

    @Test
    void unexposedLikeEveryActuatorEndpointItIsNotThereAtAll() {
        int port = TestApps.port(hidden);
        assertThat(TestApps.send(port, "GET", "/actuator/opskit", null).statusCode()).isEqualTo(404);
        assertThat(TestApps.send(port, "GET", "/actuator/opskit/events", null).statusCode()).isEqualTo(404);
        assertThat(hidden.getBeansOfType(OpskitEndpoint.class)).isEmpty();
        assertThat(TestApps.send(port, "GET", "/actuator/health", null).statusCode()).isEqualTo(200);
    }

    @Test
    void exposedButWithAccessNoneItIsNotThereEither() {
        try (ConfigurableApplicationContext denied = TestApps.start(new Class<?>[] {App.class},
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS,
                "management.endpoints.web.exposure.include=health,opskit", "management.endpoint.opskit.access=none")) {
            int port = TestApps.port(denied);
            assertThat(TestApps.send(port, "GET", "/actuator/opskit", null).statusCode()).isEqualTo(404);
            assertThat(TestApps.send(port, "GET", "/actuator/opskit/maintenance", null).statusCode()).isEqualTo(404);
            assertThat(denied.getBeansOfType(OpskitEndpoint.class)).isEmpty();
        }
    }

    @Test
    void theIndexListsTheOperationsEndpointsWithTheDataSourcesOnesAndNoHeapDump() {
        HttpResponse<byte[]> r = get("/actuator/opskit");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(contentType(r)).isEqualTo("application/json");
        List<String> names = new ArrayList<>();
        TestApps.json(r.body()).path("endpoints").forEach(n -> names.add(n.asText()));
        assertThat(names).contains("events", "maintenance", "info", "loggers", "threaddump", "jfr", "slow-queries", "leaks",
                "pool").doesNotContain("heapdump", "");
    }

    @Test
    void maintenanceAnswersExactlyWhatOpskitsSurfaceAnswers() {
        Ops ops = app.getBean(Ops.class);
        String token = "a-test-token-of-32-characters-xx";
        OpsSurface reference = OpsSurface.builder(ops, OpsSurfaceConfig.builder()
                .access(OpsAccess.builder().token("test", token, Role.VIEWER).build()).build())
                .maintenance(app.getBean(MaintenanceMode.class)).build();
        EndpointResponse expected = reference.handle(EndpointRequest.of("GET", "/ops/maintenance",
                Map.of("Authorization", "Bearer " + token), new byte[0]));

        HttpResponse<byte[]> r = get("/actuator/opskit/maintenance");
        assertThat(r.statusCode()).isEqualTo(expected.status()).isEqualTo(200);
        assertThat(contentType(r)).isEqualTo(expected.contentType()).isEqualTo("application/json");
        assertThat(r.body()).isEqualTo(expected.bodyCopy());
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(TestApps.json(r.body()).path("enabled").asBoolean(true)).isFalse();
    }

    @Test
    void eventsHonourLimitAndSince() {
        Ops ops = app.getBean(Ops.class);
        for (int i = 0; i < 3; i++) {
            ops.events().publish(ActionEvent.of("test", "ping-" + i, "ping " + i, Map.of()));
        }
        HttpResponse<byte[]> two = get("/actuator/opskit/events?limit=2");
        assertThat(two.statusCode()).as(text(two)).isEqualTo(200);
        assertThat(contentType(two)).isEqualTo("application/json");
        JsonNode events = TestApps.json(two.body()).path("events");
        assertThat(events.size()).isEqualTo(2);
        assertThat(events.toString()).contains("ping-2");
        HttpResponse<byte[]> none = get("/actuator/opskit/events?since=" + Instant.now().plusSeconds(3600));
        assertThat(TestApps.json(none.body()).path("events").size()).isZero();
        HttpResponse<byte[]> bad = get("/actuator/opskit/events?limit=many");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(text(bad)).contains("limit must be a whole number");
    }

    @Test
    void theThreadDumpIsPlainTextUnlessJsonIsAsked() {
        HttpResponse<byte[]> plain = get("/actuator/opskit/threaddump");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(contentType(plain)).isEqualTo("text/plain;charset=utf-8");
        assertThat(text(plain)).contains("\"main\"").doesNotStartWith("{");
        HttpResponse<byte[]> json = get("/actuator/opskit/threaddump", "Accept", "application/json");
        assertThat(contentType(json)).isEqualTo("application/json");
        assertThat(TestApps.json(json.body()).path("threads").isArray()).isTrue();
    }

    @Test
    void theJdbcEndpointsAnswerOnTheApplicationsPool() {
        new JdbcTemplate(app.getBean(javax.sql.DataSource.class)).queryForObject("SELECT 1", Integer.class);
        JsonNode pool = TestApps.json(get("/actuator/opskit/pool").body());
        assertThat(pool.path("maximumPoolSize").asInt()).isPositive();
        assertThat(pool.path("pool").asText()).isNotBlank();
        HttpResponse<byte[]> leaks = get("/actuator/opskit/leaks");
        assertThat(leaks.statusCode()).isEqualTo(200);
        assertThat(TestApps.json(leaks.body()).path("thresholdMs").asLong()).isEqualTo(30_000);
        HttpResponse<byte[]> slow = get("/actuator/opskit/slow-queries");
        assertThat(slow.statusCode()).isEqualTo(200);
        assertThat(TestApps.json(slow.body()).path("slowQueries").isArray()).isTrue();
    }

    @Test
    void underTheDefaultReadOnlyAccessActuatorRefusesWritesAndMaintenanceStaysOff() {
        HttpResponse<byte[]> post = TestApps.send(TestApps.port(app), "POST", "/actuator/opskit/maintenance",
                "{\"enabled\":true,\"reason\":\"db upgrade\"}");
        assertThat(post.statusCode()).as(text(post)).isEqualTo(405);
        assertThat(app.getBean(MaintenanceMode.class).state().enabled()).isFalse();
        assertThat(TestApps.send(TestApps.port(app), "GET", "/anything", null).statusCode()).isEqualTo(404);
        assertThat(app.getBean(Ops.class).events().history()).noneMatch(e -> e instanceof ActionEvent a
                && "operator-action".equals(a.action()));
    }

    @Test
    void unknownPathsTraversalAndTheHeapDumpAre404() {
        assertThat(get("/actuator/opskit/nothing-here").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/opskit/heapdump").statusCode()).isEqualTo(404);
        assertThat(get("/actuator/opskit/%2E%2E/health").statusCode()).isEqualTo(404);
        assertThat(TestApps.json(get("/actuator/opskit/nothing-here").body()).path("error").asText()).isEqualTo("not found");
    }
}
