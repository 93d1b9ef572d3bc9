package io.opskit.core.endpoint.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.opskit.core.ActionEvent;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.OpsEvent;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.HealthGroup;
import io.opskit.core.endpoint.OpsAccess;
import io.opskit.core.endpoint.OpsEndpoint;
import io.opskit.core.endpoint.OpsResponses;
import io.opskit.core.endpoint.OpsSurface;
import io.opskit.core.endpoint.OpsSurfaceConfig;
import io.opskit.core.endpoint.Role;
import io.opskit.core.maintenance.MaintenanceMode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * The contract of the operations surface, run over every adapter: ops-servlet on real Jetty 12 and
 * Tomcat 11, and {@code OpsHttpServer}. Every endpoint × anonymous, viewer, operator and wrong token
 * × method; every answer compared with the shared dispatcher's own for the same request (so all
 * servers answer with the same bytes, codes and headers); time-boxed log levels that revert;
 * a flight recording read back; the heap dump off by default and a real dump when enabled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SurfaceContract {

    /** The viewer's token. */
    protected static final String VIEWER = "viewer-token-0123456789abcdef";
    /** The operator's token. */
    protected static final String OPERATOR = "operator-token-0123456789abcdef";
    private static final String WRONG = "wrong-token-0123456789abcdefgh";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEST_LOGGER = "io.opskit.contract.probe";

    private final AtomicReference<Result> database = new AtomicReference<>(Result.pass("select 1 ok"));
    private HttpClient client;
    private Ops ops;
    private MaintenanceMode maintenance;
    private OpsSurfaceConfig config;
    private OpsSurface reference;
    private SurfaceServer server;

    /** Starts the adapter under test serving {@code ops} with {@code config} and {@code maintenance}. */
    protected abstract SurfaceServer start(Ops ops, OpsSurfaceConfig config, MaintenanceMode maintenance) throws Exception;

    /** The meter registry of the {@link Ops}; adapters find their Prometheus registry in it for {@code /metrics}. */
    protected abstract MeterRegistry meterRegistry();

    /** The access rules of the suite. */
    protected static OpsAccess access() {
        // every refusal audited here: the matrix alone refuses more than the default rate (OpsSurfaceTest covers the limit)
        return OpsAccess.builder().token("dashboard", VIEWER, Role.VIEWER).token("oncall", OPERATOR, Role.OPERATOR)
                .refusalsPerMinute(10_000).build();
    }

    private static OpsSurfaceConfig.Builder configBuilder() {
        return OpsSurfaceConfig.builder().access(access())
                .group(HealthGroup.of("database", "db:ping"))
                .loggerDurations(Duration.ofSeconds(1), Duration.ofMinutes(5))
                .jfrDurations(Duration.ofSeconds(1), Duration.ofSeconds(20));
    }

    @BeforeAll
    void startServer() throws Exception {
        ops = Ops.builder().serviceId("orders").version("1.0").meterRegistry(meterRegistry())
                .check(CheckRegistration.builder("app:alive", Result::pass).probes(Probe.LIVENESS)
                        .interval(Duration.ofHours(1)).build())
                .check(CheckRegistration.builder("db:ping", database::get).componentType("datastore")
                        .probes(Probe.READINESS).interval(Duration.ofHours(1)).build())
                .build().start();
        ops.refreshAll().get(10, TimeUnit.SECONDS);
        ops.markReady();
        ops.endpoints().add(OpsEndpoint.of("/ops/module", Map.of("GET", Role.VIEWER),
                r -> OpsResponses.json(200, Map.of("contributed", true))));
        maintenance = MaintenanceMode.builder().ignoreEnvironment().build();
        maintenance.start();
        config = configBuilder().build();
        reference = OpsSurface.builder(ops, config).maintenance(maintenance).build();
        server = start(ops, config, maintenance);
    }

    /**
     * A new client, so new connections, for every test: a connection left idle by the previous test (a flight
     * recording, a heap dump) may reach the server's idle timeout exactly when it is reused, and the request then
     * fails with "received no bytes" although the server did nothing wrong.
     */
    @BeforeEach
    void newClient() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    void stopServer() {
        server.close();
        maintenance.close();
        ops.close();
    }

    // ---- the matrix -------------------------------------------------------------------------

    /** One row: a request and the status expected for anonymous, viewer, operator and wrong-token callers. */
    private record Row(String method, String path, String body, int anonymous, int viewer, int operator, int wrong) {
    }

    private static List<Row> matrix() {
        List<Row> rows = new ArrayList<>();
        for (String p : List.of("/health", "/health/live", "/health/ready", "/health/started", "/health/group/database",
                "/livez", "/readyz", "/livez?verbose", "/metrics")) {
            rows.add(new Row("GET", p, null, 200, 200, 200, 200));
            rows.add(new Row("HEAD", p, null, 200, 200, 200, 200));
            rows.add(new Row("POST", p, "{}", 405, 405, 405, 405));
        }
        rows.add(new Row("GET", "/health/db:ping", null, 404, 200, 200, 404));
        rows.add(new Row("GET", "/health/group/nope", null, 404, 404, 404, 404));
        for (String p : List.of("/ops/events", "/ops/maintenance", "/ops/info", "/ops/loggers", "/ops/loggers/" + TEST_LOGGER,
                "/ops/threaddump", "/ops/module")) {
            rows.add(new Row("GET", p, null, 401, 200, 200, 401));
            rows.add(new Row("HEAD", p, null, 401, 200, 200, 401));
        }
        rows.add(new Row("DELETE", "/ops/events", null, 405, 405, 405, 405));
        rows.add(new Row("PUT", "/ops/maintenance", "{}", 405, 405, 405, 405));
        rows.add(new Row("POST", "/ops/maintenance", "{\"enabled\":false}", 401, 403, 200, 401));
        rows.add(new Row("POST", "/ops/loggers/" + TEST_LOGGER, "{\"level\":\"WARN\",\"duration\":\"PT5M\"}", 401, 403, 200, 401));
        rows.add(new Row("GET", "/ops/jfr", null, 405, 405, 405, 405));
        rows.add(new Row("POST", "/ops/jfr?duration=PT0S", null, 401, 403, 400, 401));
        rows.add(new Row("POST", "/ops/heapdump", null, 404, 404, 404, 404));
        rows.add(new Row("GET", "/ops/nothing", null, 404, 404, 404, 404));
        rows.add(new Row("TRACE", "/health", null, 405, 405, 405, 405));
        rows.add(new Row("TRACE", "/ops/events", null, 405, 405, 405, 405));
        return rows;
    }

    @Test
    void everyEndpointAnswersEveryCallerAndMethodAsTheRolesSay() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Row row : matrix()) {
            check(row, null, row.anonymous, wrong);
            check(row, VIEWER, row.viewer, wrong);
            check(row, OPERATOR, row.operator, wrong);
            check(row, WRONG, row.wrong, wrong);
        }
        assertThat(wrong).isEmpty();
    }

    private void check(Row row, String token, int expected, List<String> wrong) throws Exception {
        HttpResponse<byte[]> r = send(row.method, row.path, token, row.body, Map.of());
        String who = token == null ? "anonymous" : token.equals(VIEWER) ? "viewer" : token.equals(OPERATOR) ? "operator" : "wrong token";
        if (r.statusCode() != expected) {
            wrong.add(row.method + " " + row.path + " as " + who + ": " + r.statusCode() + " instead of " + expected);
            return;
        }
        if (expected == 401 && !r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer")) {
            wrong.add(row.method + " " + row.path + " as " + who + ": 401 without WWW-Authenticate: Bearer");
        }
        if (expected == 405 && r.headers().firstValue("Allow").isEmpty()) {
            wrong.add(row.method + " " + row.path + " as " + who + ": 405 without Allow");
        }
        if (expected == 405 && r.headers().firstValue("Allow").orElse("").contains("TRACE")) {
            wrong.add(row.method + " " + row.path + ": Allow offers TRACE");
        }
        if ("HEAD".equals(row.method) && r.body().length != 0) {
            wrong.add("HEAD " + row.path + " as " + who + ": has a body");
        }
    }

    @Test
    void everyAnswerHasTheBytesCodeAndHeadersOfTheSharedDispatcher() throws Exception {
        maintenance.disable();
        List<String> differ = new ArrayList<>();
        for (Row row : matrix()) {
            if (row.path.startsWith("/metrics") || row.path.startsWith("/ops/info") || row.path.startsWith("/ops/threaddump")
                    || row.path.startsWith("/ops/events") || row.path.equals("/ops/loggers") || "POST".equals(row.method)
                    || "HEAD".equals(row.method) || "TRACE".equals(row.method)) {
                // these change between two calls (time, threads, events) or change state; and Tomcat refuses TRACE
                // itself (allowTrace=false) before any servlet runs: a 405 too, checked by the matrix
                continue;
            }
            for (String token : new String[] {null, VIEWER, OPERATOR, WRONG}) {
                List<String> found = List.of();
                for (int attempt = 0; attempt < 5; attempt++) {     // health's uptime may tick between the two answers
                    long version = ops.health().version();
                    HttpResponse<byte[]> served = send(row.method, row.path, token, row.body, Map.of());
                    EndpointResponse expected = reference.handle(request(row.method, row.path, token));
                    found = compare(row.method + " " + row.path + " (" + (token == null ? "anonymous" : token.substring(0, 6)) + ")",
                            row.method, served, expected);
                    if (found.isEmpty() && version == ops.health().version()) {
                        break;
                    }
                }
                differ.addAll(found);
            }
        }
        assertThat(differ).isEmpty();
    }

    private static List<String> compare(String what, String method, HttpResponse<byte[]> served, EndpointResponse expected) {
        List<String> differ = new ArrayList<>();
        if (served.statusCode() != expected.status()) {
            differ.add(what + ": status " + served.statusCode() + " vs " + expected.status());
        }
        if (!new String(served.body(), StandardCharsets.UTF_8).equals(expected.bodyText())) {
            differ.add(what + ": body " + new String(served.body(), StandardCharsets.UTF_8) + " vs " + expected.bodyText());
        }
        if (!served.headers().firstValue("Content-Type").orElse("").equals(expected.contentType())) {
            differ.add(what + ": Content-Type " + served.headers().firstValue("Content-Type") + " vs " + expected.contentType());
        }
        for (Map.Entry<String, String> h : expected.headers().entrySet()) {
            if (!served.headers().firstValue(h.getKey()).orElse("").equals(h.getValue())) {
                differ.add(what + ": " + h.getKey() + " " + served.headers().firstValue(h.getKey()) + " vs " + h.getValue());
            }
        }
        if (served.headers().firstValueAsLong("Content-Length").orElse(-1) != expected.contentLength()) {
            differ.add(what + ": Content-Length " + served.headers().firstValue("Content-Length") + " vs "
                    + expected.contentLength());
        }
        return differ;
    }

    // ---- health and probes ----------------------------------------------------------------

    @Test
    void anonymousHealthShowsTheAggregateOnlyAndViewersSeeNamesAndDetails() throws Exception {
        JsonNode anonymous = json(send("GET", "/health", null, null, Map.of()));
        assertThat(anonymous.get("status").asText()).isEqualTo("pass");
        assertThat(anonymous.has("checks")).isFalse();
        assertThat(anonymous.toString()).doesNotContain("db:ping").doesNotContain("select 1 ok");
        JsonNode viewer = json(send("GET", "/health", VIEWER, null, Map.of()));
        assertThat(viewer.get("checks").get("db:ping").get(0).get("output").asText()).isEqualTo("select 1 ok");
        JsonNode group = json(send("GET", "/health/group/database", VIEWER, null, Map.of()));
        assertThat(group.get("checks").fieldNames()).toIterable().containsExactly("db:ping");
    }

    @Test
    void livezAndReadyzAnswerLikeTheKubernetesApiServer() throws Exception {
        assertThat(text(send("GET", "/readyz", null, null, Map.of()))).isEqualTo("ok");
        assertThat(text(send("GET", "/livez?verbose", null, null, Map.of()))).isEqualTo("livez check passed\n");
        String verbose = text(send("GET", "/readyz?verbose", VIEWER, null, Map.of()));
        assertThat(verbose).contains("[+]db:ping ok\n").endsWith("readyz check passed\n");
        try {
            database.set(Result.fail("connection refused"));
            ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
            HttpResponse<byte[]> failed = send("GET", "/readyz?verbose", VIEWER, null, Map.of());
            assertThat(failed.statusCode()).isEqualTo(503);
            assertThat(text(failed)).contains("[-]db:ping failed: connection refused\n").endsWith("readyz check failed\n");
            assertThat(text(send("GET", "/readyz", null, null, Map.of()))).isEqualTo("readyz check failed\n");
            HttpResponse<byte[]> excluded = send("GET", "/readyz?verbose&exclude=db:ping", VIEWER, null, Map.of());
            assertThat(excluded.statusCode()).isEqualTo(200);
            assertThat(text(excluded)).doesNotContain("[-]db:ping").contains("[+]db:ping excluded: ok");
            assertThat(send("GET", "/livez", null, null, Map.of()).statusCode()).isEqualTo(200);
        } finally {
            database.set(Result.pass("select 1 ok"));
            ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
        }
    }

    // ---- /ops/* ---------------------------------------------------------------------------

    @Test
    void eventsAreNewestFirstWithLimitAndSinceAndOutputsOnlyForViewers() throws Exception {
        Instant before = Instant.now().minusMillis(1);
        send("POST", "/ops/maintenance", OPERATOR, "{\"enabled\":true,\"reason\":\"contract\"}", Map.of());
        send("POST", "/ops/maintenance", OPERATOR, "{\"enabled\":false}", Map.of());
        JsonNode events = json(send("GET", "/ops/events?since=" + before + "&limit=2", VIEWER, null, Map.of())).get("events");
        assertThat(events).hasSize(2);
        assertThat(Instant.parse(events.get(0).get("time").asText())).isAfterOrEqualTo(Instant.parse(events.get(1).get("time").asText()));
        assertThat(events.get(0).has("message") || events.get(0).has("output")).as("viewers see outputs").isTrue();
        assertThat(send("GET", "/ops/events?limit=0", VIEWER, null, Map.of()).statusCode()).isEqualTo(400);
        assertThat(send("GET", "/ops/events?since=yesterday", VIEWER, null, Map.of()).statusCode()).isEqualTo(400);
    }

    @Test
    void anOperatorSwitchesMaintenanceAndEveryActionAndRefusalIsAudited() throws Exception {
        HttpResponse<byte[]> on = send("POST", "/ops/maintenance", OPERATOR, "{\"enabled\":true,\"reason\":\"db upgrade\"}", Map.of());
        assertThat(on.statusCode()).isEqualTo(200);
        assertThat(maintenance.isEnabled()).isTrue();
        assertThat(json(send("GET", "/ops/maintenance", VIEWER, null, Map.of())).get("reason").asText()).isEqualTo("db upgrade");
        assertThat(send("POST", "/ops/maintenance", VIEWER, "{\"enabled\":false}", Map.of()).statusCode()).isEqualTo(403);
        assertThat(send("POST", "/ops/maintenance", WRONG, "{\"enabled\":false}", Map.of()).statusCode()).isEqualTo(401);
        assertThat(maintenance.isEnabled()).isTrue();
        assertThat(send("POST", "/ops/maintenance", OPERATOR, "{\"enabled\":false}", Map.of()).statusCode()).isEqualTo(200);
        assertThat(maintenance.isEnabled()).isFalse();
        assertThat(send("POST", "/ops/maintenance", OPERATOR, "not json", Map.of()).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/ops/maintenance", OPERATOR, "x".repeat(20_000), Map.of()).statusCode()).isEqualTo(413);

        List<ActionEvent> audit = new ArrayList<>();
        for (OpsEvent e : ops.events().history()) {
            if (e instanceof ActionEvent a && a.source().equals("opskit:surface")) {
                audit.add(a);
            }
        }
        assertThat(audit).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("operator-action");
            assertThat(a.details()).containsEntry("caller", "oncall").containsEntry("path", "/ops/maintenance")
                    .containsEntry("status", "200").containsKey("address");
        });
        assertThat(audit).anySatisfy(a -> {
            assertThat(a.action()).isEqualTo("refused");
            assertThat(a.details()).containsEntry("caller", "dashboard").containsEntry("status", "403");
        });
        assertThat(audit).anySatisfy(a -> assertThat(a.details()).containsEntry("caller", "anonymous")
                .containsEntry("result", "wrong token"));
        assertThat(audit).allSatisfy(a -> assertThat(a.toString()).doesNotContain(OPERATOR).doesNotContain(VIEWER)
                .doesNotContain(WRONG));
    }

    @Test
    void aTimeBoxedLogLevelRevertsByItself() throws Exception {
        String name = "io.opskit.contract.timebox";
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        HttpResponse<byte[]> set = send("POST", "/ops/loggers/" + name, OPERATOR, "{\"level\":\"DEBUG\",\"duration\":\"PT1S\"}", Map.of());
        assertThat(set.statusCode()).isEqualTo(200);
        JsonNode state = json(set);
        assertThat(state.get("configuredLevel").asText()).isEqualTo("DEBUG");
        assertThat(state.get("revertsTo").asText()).isEqualTo("INFO");
        assertThat(logger.isDebugEnabled()).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> !logger.isDebugEnabled());
        JsonNode after = json(send("GET", "/ops/loggers/" + name, VIEWER, null, Map.of()));
        assertThat(after.get("configuredLevel").asText()).isEqualTo("INFO");
        assertThat(after.has("revertsAt")).isFalse();
        assertThat(send("POST", "/ops/loggers/" + name, OPERATOR, "{\"level\":\"DEBUG\",\"duration\":\"PT6M\"}", Map.of())
                .statusCode()).as("longer than the maximum").isEqualTo(400);
        assertThat(send("POST", "/ops/loggers/" + name, OPERATOR, "{\"level\":\"LOUD\"}", Map.of()).statusCode()).isEqualTo(400);
    }

    @Test
    void twoSurfacesOnOneOpsNeverRevertEachOthersLevels() throws Exception {
        // the server's surface and the in-process reference surface serve the same Ops (and the same JVM's logging)
        String name = "io.opskit.contract.twosurfaces." + getClass().getSimpleName();
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        EndpointResponse first = reference.handle(EndpointRequest.of("POST", "/ops/loggers/" + name,
                Map.of("Authorization", "Bearer " + OPERATOR, "Content-Type", "application/json"),
                "{\"level\":\"DEBUG\",\"duration\":\"PT1S\"}".getBytes(StandardCharsets.UTF_8)));
        first.release();
        assertThat(first.status()).isEqualTo(200);
        HttpResponse<byte[]> second = send("POST", "/ops/loggers/" + name, OPERATOR, "{\"level\":\"WARN\",\"duration\":\"PT5M\"}",
                Map.of());
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(json(second).get("revertsTo").asText()).as("the level before either change").isEqualTo("INFO");
        // past the first change's time box, the second change still holds: the first revert was taken over
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                .until(() -> logger.getLevel() == ch.qos.logback.classic.Level.WARN);
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
    }

    @Test
    void threadDumpIsJstackTextOrJson() throws Exception {
        String text = text(send("GET", "/ops/threaddump", VIEWER, null, Map.of()));
        assertThat(text).contains("Full thread dump").contains("java.lang.Thread.State:").contains("\tat ");
        JsonNode json = json(send("GET", "/ops/threaddump", VIEWER, null, Map.of("Accept", "application/json")));
        assertThat(json.get("threads").size()).isGreaterThan(1);
        assertThat(json.get("threads").get(0).has("stack")).isTrue();
    }

    @Test
    void infoNamesServiceJavaOsProcessAndOpskit() throws Exception {
        JsonNode info = json(send("GET", "/ops/info", VIEWER, null, Map.of()));
        assertThat(info.get("service").get("serviceId").asText()).isEqualTo("orders");
        assertThat(info.get("java").get("version").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(info.get("process").get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(info.get("process").has("startTime")).isTrue();
        assertThat(info.get("os").has("name")).isTrue();
        assertThat(info.get("opskit").has("version")).isTrue();
    }

    @Test
    void aFlightRecordingIsAnsweredAsAJfrFileThatReadsBack() throws Exception {
        HttpResponse<byte[]> r = send("POST", "/ops/jfr?duration=PT1S&settings=profile", OPERATOR, null, Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/octet-stream");
        Path file = Files.createTempFile("contract", ".jfr");
        try {
            Files.write(file, r.body());
            List<RecordedEvent> events = RecordingFile.readAllEvents(file);
            assertThat(events).isNotEmpty();
        } finally {
            Files.deleteIfExists(file);
        }
        assertThat(send("POST", "/ops/jfr?duration=PT1H", OPERATOR, null, Map.of()).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/ops/jfr?settings=custom", OPERATOR, null, Map.of()).statusCode()).isEqualTo(400);
    }

    @Test
    void theHeapDumpIsOffByDefaultAndAValidDumpWhenEnabled() throws Exception {
        assertThat(send("POST", "/ops/heapdump", OPERATOR, null, Map.of()).statusCode()).isEqualTo(404);
        try (SurfaceServer withDump = start(ops, configBuilder().heapDump(true).build(), maintenance)) {
            URI uri = URI.create("http://127.0.0.1:" + withDump.port() + "/ops/heapdump");
            HttpResponse<byte[]> viewer = client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + VIEWER).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(viewer.statusCode()).isEqualTo(403);
            HttpResponse<InputStream> dump = client.send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + OPERATOR).timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(dump.statusCode()).isEqualTo(200);
            long length = dump.headers().firstValueAsLong("Content-Length").orElse(-1);
            long read;
            byte[] head;
            try (InputStream in = dump.body()) {
                head = in.readNBytes(12);
                read = head.length + in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("JAVA PROFILE");
            assertThat(read).isEqualTo(length).isGreaterThan(1024);
        }
        // the server deletes the file once it has written the last byte, which the client may read a moment before
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
                return files.noneMatch(p -> p.getFileName().toString().startsWith("opskit-heap"));
            }
        });
    }

    @Test
    void aRefusedRequestWhoseBodyIsStillComingNeverStrandsTheNextRequestOnItsConnection() throws Exception {
        // the headers of a POST arrive, its body not yet: the refusal is answered before the body is read. The
        // server must then either say "Connection: close" or still answer the next request on that connection;
        // closing it silently fails a client's next request with "received no bytes" (seen on Jetty)
        for (String target : List.of("/health", "/ops/maintenance", "/ops/nothing")) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(30_000);
                java.io.OutputStream out = socket.getOutputStream();
                InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
                out.write(("POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 17\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Map<String, String> refusal = RawHttp.readResponse(in);
                assertThat(refusal.get(":status")).as(target).isIn("401", "404", "405");
                if (refusal.getOrDefault("connection", "").equalsIgnoreCase("close")) {
                    continue; // the client opens a new connection (Tomcat still swallows the body before closing)
                }
                out.write(("{\"enabled\":false}GET /health/live HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(RawHttp.readResponse(in).get(":status")).as(target + ": the next request on the connection").isEqualTo("200");
            }
        }
        // a body read to its end keeps the connection
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
            out.write(("POST /ops/maintenance HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + OPERATOR
                    + "\r\nContent-Type: application/json\r\nContent-Length: 17\r\n\r\n{\"enabled\":false}")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Map<String, String> answered = RawHttp.readResponse(in);
            assertThat(answered.get(":status")).isEqualTo("200");
            assertThat(answered.get("connection")).isNull();
            out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.readResponse(in).get(":status")).isEqualTo("200");
        }
    }

    // ---- helpers --------------------------------------------------------------------------

    private HttpResponse<byte[]> send(String method, String path, String token, String body, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The in-process request the reference dispatcher answers. */
    private static EndpointRequest request(String method, String pathAndQuery, String token) {
        return EndpointRequest.of(method, pathAndQuery, token == null ? Map.of() : Map.of("Authorization", "Bearer " + token),
                new byte[0]);
    }

    private static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }
}
