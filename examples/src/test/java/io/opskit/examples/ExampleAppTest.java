package io.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Walks the README's curl sessions against the example started in-process on its embedded defaults. */
class ExampleAppTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String SECRET = "operator-secret-1";
    private static ExampleApp app;
    private static ListAppender<ILoggingEvent> logs;
    private static List<String> startLog;

    @BeforeAll
    static void startTheExample() throws Exception {
        logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
        app = ExampleApp.start(ExampleConfig.from(Map.of("PORT", "0", "OPS_MAINTENANCE_SECRET", SECRET,
                "OPS_REAPER_IDLE", "2s", "OPS_REAPER_INTERVAL", "1s", "OPS_CHECK_INTERVAL", "1s", "OPS_MANAGEMENT_PORT", "0")));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health/ready").statusCode() == 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> levelled().stream().anyMatch(l -> l.contains("checks have reported")));
        startLog = levelled();
    }

    private static List<String> levelled() {
        synchronized (logs) {
            return logs.list.stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()).toList();
        }
    }

    @AfterAll
    static void stopTheExample() {
        if (app != null) {
            app.close();
        }
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + (path.startsWith("/ops/") ? app.managementPort() : app.port()) + path);
    }

    private static List<String> logLines() {
        synchronized (logs) {
            return logs.list.stream().map(e -> e.getFormattedMessage() + " correlationId=" + e.getMDCPropertyMap().get("correlationId")).toList();
        }
    }

    @Test
    void healthAnswersWithEveryCheckOfTheRunbook() throws Exception {
        HttpResponse<String> health = get("/health");
        assertThat(health.headers().firstValue("Content-Type")).hasValue("application/health+json");
        JsonNode checks = JSON.readTree(health.body()).get("checks");
        assertThat(checks.fieldNames()).toIterable().contains("db:connection", "postgres:connections", "hikari:utilization",
                "postgres:reaper", "db:responseTime", "redis:responseTime", "redis:memory", "redis:connection",
                "disk:space", "memory:heap", "threads:deadlocks", "lifecycle:state");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/started").statusCode()).isEqualTo(200);
        assertThat(get("/health/redis:responseTime").statusCode()).isEqualTo(200);
        assertThat(get("/health/nope:missing").statusCode()).isEqualTo(404);
    }

    @Test
    void aCleanStartLogsNoWarningAndOneLineOnceEveryCheckHasReported() {
        assertThat(startLog).as(() -> String.join("\n", startLog)).noneMatch(l -> l.startsWith("WARN") || l.startsWith("ERROR"))
                .noneMatch(l -> l.contains("pending -> pass"));
        assertThat(startLog).filteredOn(l -> l.contains("checks have reported")).singleElement().asString()
                .startsWith("INFO").contains("every one passes");
    }

    @Test
    void healthAndMetricsAnswerOnBothPortsAndOpsOnlyOnTheManagementPort() throws Exception {
        assertThat(app.managementPort()).isNotEqualTo(app.port());
        for (int port : new int[] {app.port(), app.managementPort()}) {
            for (String path : List.of("/health/live", "/health/ready", "/health/started", "/metrics")) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(port + path).isEqualTo(200);
            }
        }
        HttpResponse<String> opsOnApiPort = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                + "/ops/events")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(opsOnApiPort.statusCode()).isEqualTo(404);
        assertThat(get("/ops/events").statusCode()).isEqualTo(200);
    }

    @Test
    void traceAnswers405EverywhereAndEchoesNoHeader() throws Exception {
        for (String url : List.of("http://127.0.0.1:" + app.port() + "/api/items", "http://127.0.0.1:" + app.port() + "/health",
                "http://127.0.0.1:" + app.port() + "/nothing/here", "http://127.0.0.1:" + app.managementPort() + "/health/live",
                "http://127.0.0.1:" + app.managementPort() + "/ops/maintenance", "http://127.0.0.1:" + app.managementPort() + "/x")) {
            HttpResponse<String> trace = send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer tok-123456789")
                    .header("X-Maintenance-Bypass", SECRET).header("Cookie", "session=cookie-987654321")
                    .method("TRACE", HttpRequest.BodyPublishers.noBody()).build());
            assertThat(trace.statusCode()).as(url).isEqualTo(405);
            assertThat(trace.body()).as(url).doesNotContain("tok-123456789", SECRET, "cookie-987654321");
        }
    }

    @Test
    void aBodyOver64KiBIs413WhetherItsLengthIsDeclaredOrNot() throws Exception {
        String big = "{\"name\":\"" + "x".repeat(100 * 1024) + "\"}";
        HttpResponse<String> declared = send(HttpRequest.newBuilder(uri("/api/items"))
                .POST(HttpRequest.BodyPublishers.ofString(big)).build());
        assertThat(declared.statusCode()).isEqualTo(413);
        HttpResponse<String> chunked = send(HttpRequest.newBuilder(uri("/api/items")).POST(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.UTF_8)))).build());
        assertThat(chunked.statusCode()).isEqualTo(413);
        HttpResponse<String> toOps = send(HttpRequest.newBuilder(uri("/ops/maintenance")).header("X-Maintenance-Bypass", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString(big)).build());
        assertThat(toOps.statusCode()).isEqualTo(413);
        assertThat(send(HttpRequest.newBuilder(uri("/api/items")).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"small\"}"))
                .build()).statusCode()).isEqualTo(201);
    }

    @Test
    void maintenanceModeAnswers503WithRetryAfterWhileLivenessStaysUp() throws Exception {
        HttpRequest on = HttpRequest.newBuilder(uri("/ops/maintenance")).header("X-Maintenance-Bypass", SECRET)
                .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\":true,\"reason\":\"db upgrade\",\"retryAfterSeconds\":600}")).build();
        HttpRequest wrong = HttpRequest.newBuilder(uri("/ops/maintenance")).header("X-Maintenance-Bypass", "not-the-secret")
                .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\":true}")).build();
        try {
            assertThat(send(wrong).statusCode()).isEqualTo(403);
            assertThat(send(on).statusCode()).isEqualTo(200);
            HttpResponse<String> items = send(HttpRequest.newBuilder(uri("/api/items")).header("Accept", "application/json").build());
            assertThat(items.statusCode()).isEqualTo(503);
            assertThat(items.headers().firstValue("Retry-After").map(Long::parseLong)).hasValueSatisfying(s -> assertThat(s).isBetween(1L, 600L));
            assertThat(items.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
            HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/api/items")).header("Accept", "text/html").build());
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(page.body()).contains("db upgrade");
            assertThat(get("/health/live").statusCode()).isEqualTo(200);
            assertThat(send(HttpRequest.newBuilder(uri("/api/items")).header("X-Maintenance-Bypass", SECRET).build()).statusCode())
                    .isEqualTo(200);
        } finally {
            send(HttpRequest.newBuilder(uri("/ops/maintenance")).header("X-Maintenance-Bypass", SECRET)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build());
        }
        assertThat(get("/api/items").statusCode()).isEqualTo(200);
        assertThat(get("/ops/events").body()).contains("\"source\":\"maintenance\"");
    }

    @Test
    void aCorrelationIdIsEchoedAndCarriedInTheLog() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(uri("/api/items")).header("X-Correlation-ID", "readme-demo-42")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"widget\"}")).build());
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("X-Correlation-ID")).hasValue("readme-demo-42");
        await().atMost(Duration.ofSeconds(5)).until(() -> logLines().stream()
                .anyMatch(l -> l.contains("POST /api/items 201") && l.endsWith("correlationId=readme-demo-42")));
        HttpResponse<String> hostile = send(HttpRequest.newBuilder(uri("/api/ping")).header("X-Correlation-ID", "<script>").build());
        assertThat(hostile.headers().firstValue("X-Correlation-ID").orElseThrow()).matches("[0-9a-f]{32}");
    }

    @Test
    void theReaperTerminatesAnIdleSessionOpenedOutsideThePoolAndNeverThePoolsOwn() throws Exception {
        Properties props = new Properties();
        props.setProperty("user", ExampleApp.EMBEDDED_ROLE);
        props.setProperty("ApplicationName", ExampleApp.APPLICATION_NAME);   // the pool's name: no protection by name
        try (Connection idle = DriverManager.getConnection(app.jdbcUrl(), props)) {
            int pid;
            try (Statement s = idle.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> !backendExists(pid));
            assertThat(idle.isValid(1)).isFalse();
            JsonNode reaper = JSON.readTree(get("/health/postgres:reaper").body()).get("checks").get("postgres:reaper").get(0);
            assertThat(reaper.get("status").asText()).isIn("pass", "warn");
            assertThat(get("/ops/events").body()).contains("postgres:reaper");
        }
        assertThat(get("/api/items").statusCode()).isEqualTo(200);
        // the pool's idle connections outlived the reaper's 2 s idle timeout many times over, untouched
        assertThat(logLines()).noneMatch(l -> l.contains("Failed to validate connection"));
    }

    private static boolean backendExists(int pid) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("ApplicationName", "opskit-example");
        try (Connection c = DriverManager.getConnection(app.jdbcUrl(), props);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid)) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    @Test
    void aSlowQueryIsListedWithItsCorrelationId() throws Exception {
        HttpResponse<String> slow = send(HttpRequest.newBuilder(uri("/api/slow?ms=300&db=true")).header("X-Correlation-ID", "slow-query-7").build());
        assertThat(slow.statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(get("/ops/slow-queries").body()).get("slowQueries");
        assertThat(list.findValuesAsText("correlationId")).contains("slow-query-7");
        assertThat(list.findValuesAsText("sql")).anyMatch(s -> s.contains("pg_sleep"));
    }

    @Test
    void metricsCarryTheOpskitSeries() throws Exception {
        get("/api/ping");
        String scrape = get("/metrics").body();
        assertThat(scrape).contains("opskit_health_status{check=\"db:connection\"}", "http_server_requests_seconds",
                "opskit_db_query", "opskit_reaper_terminated");
    }
}
