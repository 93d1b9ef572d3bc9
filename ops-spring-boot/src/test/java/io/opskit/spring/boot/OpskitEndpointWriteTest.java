package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opskit.core.ActionEvent;
import io.opskit.core.Ops;
import io.opskit.core.maintenance.MaintenanceMode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code opskit} Actuator endpoint with {@code management.endpoint.opskit.access=unrestricted}, on a management
 * port of its own and without Spring Security: operator actions through Actuator really act, and are audited.
 */
class OpskitEndpointWriteTest {

    private static ConfigurableApplicationContext app;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    @BeforeAll
    static void start() throws IOException {
        app = TestApps.start(new Class<?>[] {App.class}, "management.server.port=" + Services.freePort(),
                "management.endpoints.web.exposure.include=health,opskit", "management.endpoint.opskit.access=unrestricted",
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static HttpResponse<byte[]> management(String method, String path, String body) {
        return TestApps.send(TestApps.managementPort(app), method, path, body);
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    private static List<ActionEvent> actions(String action) {
        return app.getBean(Ops.class).events().history().stream()
                .filter(e -> e instanceof ActionEvent a && action.equals(a.action())).map(ActionEvent.class::cast).toList();
    }

    @Test
    void itIsServedOnTheManagementPortAndNotOnTheApplicationsPort() {
        assertThat(TestApps.managementPort(app)).isPositive().isNotEqualTo(TestApps.port(app));
        HttpResponse<byte[]> index = management("GET", "/actuator/opskit", null);
        assertThat(index.statusCode()).as(text(index)).isEqualTo(200);
        assertThat(TestApps.json(index.body()).path("endpoints").toString()).contains("\"maintenance\"");
        assertThat(TestApps.send(TestApps.port(app), "GET", "/actuator/opskit", null).statusCode()).isEqualTo(404);
        assertThat(TestApps.send(TestApps.port(app), "GET", "/actuator/opskit/events", null).statusCode()).isEqualTo(404);
    }

    @Test
    void maintenanceSwitchedThroughActuatorTurnsTheApplication503AndIsAudited() {
        int appPort = TestApps.port(app);
        try {
            HttpResponse<byte[]> on = management("POST", "/actuator/opskit/maintenance",
                    "{\"enabled\":true,\"reason\":\"db upgrade\",\"retryAfterSeconds\":600}");
            assertThat(on.statusCode()).as(text(on)).isEqualTo(200);
            assertThat(on.headers().firstValue("Content-Type")).contains("application/json");
            assertThat(on.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(TestApps.json(on.body()).path("enabled").asBoolean()).isTrue();
            assertThat(TestApps.json(on.body()).path("reason").asText()).isEqualTo("db upgrade");
            assertThat(app.getBean(MaintenanceMode.class).state().enabled()).isTrue();
            HttpResponse<byte[]> page = TestApps.send(appPort, "GET", "/anything", null);
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.headers().firstValue("Retry-After")).isPresent();
            assertThat(actions("operator-action")).anySatisfy(a -> assertThat(a.details())
                    .containsEntry("caller", "anonymous").containsEntry("role", "operator")
                    .containsEntry("method", "POST").containsEntry("path", "/ops/maintenance").containsEntry("status", "200")
                    .containsEntry("address", "127.0.0.1"));
        } finally {
            HttpResponse<byte[]> off = management("POST", "/actuator/opskit/maintenance", "{\"enabled\":false}");
            assertThat(off.statusCode()).as(text(off)).isEqualTo(200);
        }
        assertThat(TestApps.send(appPort, "GET", "/anything", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aBadBodyIsOpskitsOwn400() {
        HttpResponse<byte[]> r = management("POST", "/actuator/opskit/maintenance", "{\"reason\":\"no switch\"}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(text(r)).contains("boolean 'enabled'");
        assertThat(app.getBean(MaintenanceMode.class).state().enabled()).isFalse();
    }

    @Test
    void aLogLevelIsSetForAWhile() {
        HttpResponse<byte[]> set = management("POST", "/actuator/opskit/loggers/io.opskit.actuatortest",
                "{\"level\":\"DEBUG\",\"duration\":\"PT1M\"}");
        assertThat(set.statusCode()).as(text(set)).isEqualTo(200);
        HttpResponse<byte[]> read = management("GET", "/actuator/opskit/loggers/io.opskit.actuatortest", null);
        assertThat(text(read)).contains("DEBUG");
        assertThat(org.slf4j.LoggerFactory.getLogger("io.opskit.actuatortest").isDebugEnabled()).isTrue();
    }

    @Test
    void aFlightRecordingComesBackAsItsBytesAndLeavesNoFileBehind() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        // Actuator's rule for writes: a JSON body (parameters go there, or in the query)
        assertThat(management("POST", "/actuator/opskit/jfr?duration=PT1S", null).statusCode()).isEqualTo(415);
        HttpResponse<byte[]> r = management("POST", "/actuator/opskit/jfr", "{\"duration\":\"PT1S\"}");
        assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(r.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).startsWith("attachment"));
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
        assertThat(Arrays.copyOf(r.body(), 4)).isEqualTo(new byte[] {'F', 'L', 'R', 0});
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Stream<Path> files = Files.list(tmp)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("opskit-actuator"));
            }
        });
    }
}
