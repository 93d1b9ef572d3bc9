package io.opskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.endpoint.ShowDetails;
import io.opskit.core.maintenance.MaintenanceConfig;
import io.opskit.core.maintenance.MaintenanceMode;
import jakarta.servlet.ServletContainerInitializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

/**
 * Everything ops-servlet promises, against a real container: the subclasses run it on Jetty 12
 * and on Tomcat 11. One server per class; tests run in sequence and restore what they change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OpsServletContractTest {

    static final String SECRET = "operator-secret-0123456789";
    static final String TOKEN = "details-token-0123456789";
    static final Pattern GENERATED = Pattern.compile("[0-9a-f]{32}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AtomicReference<Result> database = new AtomicReference<>(Result.pass("select 1 ok"));
    private final ListAppender<ILoggingEvent> appLog = new ListAppender<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private PrometheusMeterRegistry registry;
    private Ops ops;
    private MaintenanceMode maintenance;
    private ExecutorService executor;
    private Path flagFile;
    private TestServer server;
    private AutoCloseable threadPoolMetrics;

    /** Starts the container under test with {@code setup}. */
    abstract TestServer start(ServletContainerInitializer setup) throws Exception;

    /** A series the container's thread-pool binder adds to the scrape, e.g. {@code jetty_threads_busy}. */
    abstract String threadPoolSeries();

    @BeforeAll
    void startServer() throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ops = Ops.builder().serviceId("orders").version("1.0").meterRegistry(registry)
                .check(CheckRegistration.builder("app:alive", Result::pass).probes(Probe.LIVENESS)
                        .interval(Duration.ofHours(1)).build())
                .check(CheckRegistration.builder("db:ping", database::get).componentType("datastore")
                        .probes(Probe.READINESS).interval(Duration.ofHours(1)).build())
                .check(CheckRegistration.builder("boot:done", Result::pass).probes(Probe.STARTUP)
                        .interval(Duration.ofHours(1)).build())
                .build().start();
        ops.refreshAll().get(10, TimeUnit.SECONDS);
        ops.markReady();
        flagFile = Files.createTempDirectory("opskit-flag").resolve("maintenance");
        maintenance = MaintenanceMode.builder().ignoreEnvironment().flagFile(flagFile)
                .pollInterval(Duration.ofMillis(25)).build();
        maintenance.start();
        executor = Executors.newFixedThreadPool(2);
        OpsServletConfig config = OpsServletConfig.builder()
                .showDetails(ShowDetails.bearerToken(TOKEN))
                .maintenanceMode(maintenance)
                .maintenanceConfig(MaintenanceConfig.builder().bypassSecret(SECRET).allowCidrs("10.0.0.0/8")
                        .trustedProxies("192.0.2.0/24").build())
                .build();
        ServletContainerInitializer opskit = OpsServlets.initializer(ops, config);
        server = start((classes, context) -> {
            TestApp.install(context, executor);
            opskit.onStartup(classes, context);
        });
        threadPoolMetrics = server.bindThreadPoolMetrics(registry);
        Logger logger = (Logger) LoggerFactory.getLogger(TestApp.LOG.getName());
        appLog.start();
        logger.addAppender(appLog);
    }

    @AfterAll
    void stopServer() throws Exception {
        ((Logger) LoggerFactory.getLogger(TestApp.LOG.getName())).detachAppender(appLog);
        threadPoolMetrics.close();
        server.close();
        maintenance.close();
        ops.close();
        executor.shutdownNow();
        registry.close();
    }

    @BeforeEach
    void clearCaptures() {
        appLog.list.clear();
        TestApp.MDC_AFTER.clear();
    }

    @AfterEach
    void restore() throws Exception {
        Files.deleteIfExists(flagFile);
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            maintenance.disable();
            return !maintenance.isEnabled();
        });
        if (!database.get().status().equals(Result.pass().status())) {
            database.set(Result.pass("select 1 ok"));
            ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
        }
    }

    // ---- correlation IDs ----

    @Test
    void aValidInboundIdIsEchoedAndCarriedByEveryLogLineOfTheRequest() throws Exception {
        HttpResponse<String> r = get("/app/echo", "X-Correlation-ID", "order-42.retry:1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Correlation-ID")).contains("order-42.retry:1");
        assertThat(r.body()).isEqualTo("order-42.retry:1|order-42.retry:1");
        assertThat(appLog.list).hasSize(2).allSatisfy(e ->
                assertThat(e.getMDCPropertyMap()).containsEntry("correlationId", "order-42.retry:1"));
    }

    @Test
    void xRequestIdAndThenTheTraceparentTraceIdAreTheFallbacks() throws Exception {
        assertThat(get("/app/echo", "X-Request-ID", "req-7").headers().firstValue("X-Correlation-ID")).contains("req-7");
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        HttpResponse<String> r = get("/app/echo", "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
        assertThat(r.headers().firstValue("X-Correlation-ID")).contains(traceId);
    }

    @Test
    void absentEmptyQuotedAndHugeIdsAreReplacedByAGeneratedOne() throws Exception {
        List<HttpResponse<String>> responses = List.of(
                get("/app/echo"),
                get("/app/echo", "X-Correlation-ID", ""),
                get("/app/echo", "X-Correlation-ID", "\"quoted\""),
                get("/app/echo", "X-Correlation-ID", "a".repeat(10 * 1024)),
                get("/app/echo", "X-Correlation-ID", "a".repeat(129)),
                get("/app/echo", "X-Correlation-ID", "<script>alert(1)</script>"));
        for (HttpResponse<String> r : responses) {
            assertThat(r.statusCode()).isEqualTo(200);
            String id = r.headers().firstValue("X-Correlation-ID").orElseThrow();
            assertThat(id).matches(GENERATED);
            assertThat(r.body()).isEqualTo(id + "|" + id);
        }
        assertThat(appLog.list).allSatisfy(e -> assertThat(e.getMDCPropertyMap().get("correlationId")).matches(GENERATED));
    }

    @Test
    void crLfAndNonAsciiIdsSentAsRawBytesAreNeverEchoed() throws Exception {
        byte[] folded = ("GET /app/echo HTTP/1.1\r\nHost: localhost\r\nX-Correlation-ID: abc\r\n"
                + " X-Injected: yes\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] bareCr = ("GET /app/echo HTTP/1.1\r\nHost: localhost\r\nX-Correlation-ID: abc\rX-Injected: yes\r\n"
                + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream nonAscii = new ByteArrayOutputStream();
        nonAscii.writeBytes("GET /app/echo HTTP/1.1\r\nHost: localhost\r\nX-Correlation-ID: ".getBytes(StandardCharsets.US_ASCII));
        nonAscii.writeBytes("caf\u00e9-\u65e5\u672c".getBytes(StandardCharsets.UTF_8));
        nonAscii.writeBytes("\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (byte[] request : List.of(folded, bareCr, nonAscii.toByteArray())) {
            String response = raw(request);
            String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
            assertThat(head).doesNotContainIgnoringCase("X-Injected"); // no header smuggled into the response
            Matcher status = Pattern.compile("^HTTP/1\\.1 (\\d{3})").matcher(response);
            assertThat(status.find()).as(response).isTrue();
            if (status.group(1).equals("200")) {
                // accepted by the container: the filter must have replaced the value
                Matcher id = Pattern.compile("(?mi)^X-Correlation-ID: ([^\r\n]*)").matcher(response);
                assertThat(id.find()).as(response).isTrue();
                assertThat(id.group(1)).matches(GENERATED);
            } else {
                // rejected by the container before any application code: nothing echoed either
                assertThat(status.group(1)).startsWith("4");
            }
        }
    }

    @Test
    void theMdcIsEmptyAfterTheRequestOnTheSameThreadAlsoWhenTheServletThrows() throws Exception {
        get("/app/echo", "X-Correlation-ID", "clean-1");
        assertThat(TestApp.MDC_AFTER.poll(5, TimeUnit.SECONDS)).isEmpty();
        HttpResponse<String> failed = get("/app/boom", "X-Correlation-ID", "clean-2");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(TestApp.MDC_AFTER.poll(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(appLog.list).anySatisfy(e -> assertThat(e.getMDCPropertyMap()).containsEntry("correlationId", "clean-2"));
    }

    @Test
    void theIdIsCarriedIntoATaskOnAWrappedExecutor() throws Exception {
        HttpResponse<String> r = get("/app/executor", "X-Correlation-ID", "exec-9");
        assertThat(r.body()).isEqualTo("exec-9");
        assertThat(appLog.list).singleElement().satisfies(e -> {
            assertThat(e.getThreadName()).startsWith("pool-");
            assertThat(e.getMDCPropertyMap()).containsEntry("correlationId", "exec-9");
        });
    }

    @Test
    void anAsyncDispatchKeepsTheIdOfTheRequest() throws Exception {
        HttpResponse<String> r = get("/app/async");
        String id = r.headers().firstValue("X-Correlation-ID").orElseThrow();
        assertThat(id).matches(GENERATED);
        assertThat(r.body()).isEqualTo(id + "|" + id);
        assertThat(appLog.list).isNotEmpty().allSatisfy(e ->
                assertThat(e.getMDCPropertyMap()).containsEntry("correlationId", id));
    }

    // ---- maintenance ----

    @Test
    void maintenanceAnswersProblemJsonToApiClientsAndHtmlToBrowsersWithRetryAfter() throws Exception {
        maintenance.enable("database upgrade", Duration.ofMinutes(10));
        HttpResponse<String> api = get("/app/echo", "Accept", "application/json");
        assertThat(api.statusCode()).isEqualTo(503);
        assertThat(api.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(api.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(590L, 600L));
        assertThat(api.headers().firstValue("Cache-Control")).contains("no-store");
        JsonNode problem = JSON.readTree(api.body());
        assertThat(problem.get("status").asInt()).isEqualTo(503);
        assertThat(problem.get("title").asText()).isEqualTo("Service Unavailable");
        assertThat(problem.get("detail").asText()).isEqualTo("database upgrade");
        assertThat(api.headers().firstValue("X-Correlation-ID")).isPresent();

        HttpResponse<String> browser = get("/", "Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
        assertThat(browser.statusCode()).isEqualTo(503);
        assertThat(browser.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(browser.body()).contains("<!DOCTYPE html>", "database upgrade");
        assertThat(browser.headers().firstValue("Retry-After")).isPresent();
        assertThat(appLog.list).isEmpty();
    }

    @Test
    void healthAndMetricsPassDuringMaintenance() throws Exception {
        maintenance.enable("upgrade");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
        assertThat(get("/app/echo").statusCode()).isEqualTo(503);
    }

    @Test
    void theBypassHeaderAndCookieLetOperatorsInAndAWrongSecretDoesNot() throws Exception {
        maintenance.enable("upgrade");
        assertThat(get("/app/echo", "X-Maintenance-Bypass", SECRET).statusCode()).isEqualTo(200);
        assertThat(get("/app/echo", "X-Maintenance-Bypass", "not-the-secret-000000").statusCode()).isEqualTo(503);

        HttpResponse<String> link = get("/app/echo?maintenance-bypass=" + SECRET);
        assertThat(link.statusCode()).isEqualTo(303);
        assertThat(link.headers().firstValue("Location")).contains("/app/echo");
        String setCookie = link.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).doesNotContain(SECRET).contains("HttpOnly");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(get("/app/echo", "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(get("/app/echo", "Cookie", "opskit_maintenance_bypass=forged").statusCode()).isEqualTo(503);
        assertThat(get("/app/echo?maintenance-bypass=wrong-secret-00000000").statusCode()).isEqualTo(503);
    }

    @Test
    void aSpoofedForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        maintenance.enable("upgrade");
        // 10.0.0.0/8 is allowlisted, but the loopback peer is no trusted proxy: the header is the client's own claim
        assertThat(get("/app/echo", "X-Forwarded-For", "10.1.2.3").statusCode()).isEqualTo(503);
        assertThat(get("/app/echo", "Forwarded", "for=10.1.2.3").statusCode()).isEqualTo(503);
    }

    @Test
    void theFlagFileTogglesMaintenanceWithoutARestart() throws Exception {
        assertThat(get("/app/echo").statusCode()).isEqualTo(200);
        Files.writeString(flagFile, "planned disk swap\n");
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/app/echo").statusCode() == 503);
        assertThat(JSON.readTree(get("/app/echo").body()).get("detail").asText()).isEqualTo("planned disk swap");
        Files.delete(flagFile);
        await().atMost(Duration.ofSeconds(5)).until(() -> get("/app/echo").statusCode() == 200);
    }

    // ---- health ----

    @Test
    void eachProbeAnswersWithItsStatusCode() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        database.set(Result.fail("connection refused"));
        ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/health+json"));
        assertThat(ready.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("fail");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/health/started").statusCode()).isEqualTo(200);
        assertThat(get("/health").statusCode()).isEqualTo(503);
        assertThat(get("/health/db:ping").statusCode()).isEqualTo(503);
        assertThat(get("/health/app:alive").statusCode()).isEqualTo(200);
    }

    @Test
    void detailsAreHiddenWithoutTheTokenAndShownWithIt() throws Exception {
        JsonNode hidden = JSON.readTree(get("/health").body()).get("checks").get("db:ping").get(0);
        assertThat(hidden.get("status").asText()).isEqualTo("pass");
        assertThat(hidden.has("output")).isFalse();
        JsonNode shown = JSON.readTree(get("/health", "Authorization", "Bearer " + TOKEN).body())
                .get("checks").get("db:ping").get(0);
        assertThat(shown.get("output").asText()).isEqualTo("select 1 ok");
        JsonNode wrong = JSON.readTree(get("/health", "Authorization", "Bearer wrong-token-00000000").body())
                .get("checks").get("db:ping").get(0);
        assertThat(wrong.has("output")).isFalse();
    }

    @Test
    void anUnknownCheckIs404WithAJsonBody() throws Exception {
        HttpResponse<String> r = get("/health/nope:nothing");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/health+json"));
        assertThat(JSON.readTree(r.body()).get("status").asText()).isEqualTo("fail");
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutABody() throws Exception {
        HttpResponse<String> get = get("/health/ready");
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri("/health/ready"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).contains(Integer.toString(get.body().length()));
        assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/health")).POST(
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    // ---- metrics ----

    @Test
    void theScrapeHoldsHealthAndHttpSeriesInValidExpositionFormat() throws Exception {
        get("/app/echo");
        get("/app/boom");
        get("/app/async");
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.find(HttpMetricsFilter.METRIC)
                .tag("uri", "/app/async").timer() != null); // timed when the async request completes
        HttpResponse<String> scrape = get("/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        String body = scrape.body();
        assertThat(body).contains("opskit_health_status", "http_server_requests_seconds_count",
                "http_server_requests_seconds{", "quantile=\"0.95\"");
        assertThat(body).containsPattern("http_server_requests_seconds_count\\{[^}]*outcome=\"SERVER_ERROR\"[^}]*uri=\"/app/boom\"");
        assertValidExposition(body);
        HttpResponse<String> open = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/openmetrics-text"));
        assertThat(open.body()).endsWith("# EOF\n");
    }

    @Test
    void theScrapeHoldsJvmProcessAndThreadPoolSeriesEachOnce() throws Exception {
        System.gc(); // jvm.gc.pause appears once a collection was reported
        await().atMost(Duration.ofSeconds(10)).until(() -> get("/metrics").body().contains("jvm_gc_pause_seconds_count"));
        String body = get("/metrics").body();
        for (String series : List.of("jvm_memory_used_bytes", "jvm_gc_pause_seconds", "jvm_gc_memory_allocated_bytes",
                "jvm_threads_live_threads", "jvm_classes_loaded_classes", "process_cpu_usage", "process_uptime_seconds",
                "process_files_open_files", threadPoolSeries())) {
            assertThat(body).as(series).containsPattern("(?m)^" + series + "[{ _]");
            assertThat(Pattern.compile("(?m)^# TYPE " + series + "(_total)? ").matcher(body).results().count())
                    .as("TYPE lines of %s", series).isEqualTo(1);
        }
        assertThat(body.lines().filter(l -> l.startsWith("jvm_threads_live_threads")).count()).isEqualTo(1);
        assertValidExposition(body);
    }

    @Test
    void tenThousandDistinctPathsDoNotCreateTenThousandSeries() throws Exception {
        // pipelined on one keep-alive connection: 10,000 real requests in well under a second
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            CompletableFuture<String> responses = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            for (int i = 0; i < 10_000; i++) {
                out.write(("GET /r" + i + "/item HTTP/1.1\r\nHost: localhost\r\n"
                        + (i == 9_999 ? "Connection: close\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            String all = responses.get(60, TimeUnit.SECONDS);
            assertThat(Pattern.compile("HTTP/1\\.1 200").matcher(all).results().count()).isEqualTo(10_000);
        }
        long series = get("/metrics").body().lines()
                .filter(l -> l.startsWith("http_server_requests_seconds_count{")).count();
        assertThat(series).isBetween(1L, (long) HttpMetricsConfig.DEFAULT_MAX_URI_TAGS + 20);
        assertThat(registry.find(HttpMetricsFilter.METRIC).tag("uri", "UNKNOWN").timer()).isNotNull();
    }

    @Test
    void probesScrapesAndOperatorPathsAreNotRecordedSoAnOutageIsNotAnErrorRatio() throws Exception {
        database.set(Result.fail("connection refused"));
        ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
        double before = requestCount();
        double errorsBefore = serverErrorCount();

        for (int i = 0; i < 80; i++) {   // the 80 readiness polls during a dependency outage
            assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        }
        assertThat(get("/health").statusCode()).isEqualTo(503);
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        assertThat(get("/metrics").statusCode()).isEqualTo(200);
        for (String path : List.of("/ops/events", "/livez", "/readyz", "/healthz")) {
            get(path);   // answered by the application's default servlet here: what matters is that none is recorded
        }

        get("/healthcare");   // only whole segments are excluded: this one is traffic
        get("/app/echo");
        // a request is recorded just after its response is sent: once the last two are in, every earlier one is too
        await().atMost(Duration.ofSeconds(5)).until(() -> requestCount() >= before + 2);
        assertThat(requestCount()).isEqualTo(before + 2);
        assertThat(serverErrorCount()).isEqualTo(errorsBefore);
        assertThat(registry.find(HttpMetricsFilter.METRIC).tag("status", "503").timers()).isEmpty();
    }

    @Test
    void maintenance503sNeverCountAsErrorsInWhicheverOrderTheFiltersRun() throws Exception {
        double before = requestCount();
        double errorsBefore = serverErrorCount();
        maintenance.enable("upgrade");
        for (int i = 0; i < 20; i++) {
            assertThat(get("/app/echo").statusCode()).isEqualTo(503);
        }

        // a hand-written web.xml may put the metrics filter first: the maintenance filter marks its answers
        PrometheusMeterRegistry reversed = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        MaintenanceFilter gate = new MaintenanceFilter(io.opskit.core.maintenance.MaintenanceGate.create(maintenance,
                MaintenanceConfig.DEFAULT));
        try (TestServer manual = start((classes, context) -> {
            context.addFilter("metrics", new HttpMetricsFilter(reversed)).addMappingForUrlPatterns(null, false, "/*");
            context.addFilter("maintenance", gate).addMappingForUrlPatterns(null, false, "/*");
            TestApp.install(context, executor);
        })) {
            HttpResponse<String> answered = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + manual.port() + "/app/echo")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answered.statusCode()).isEqualTo(503);
            maintenance.disable();
            await().atMost(Duration.ofSeconds(5)).until(() -> !maintenance.isEnabled());
            HttpResponse<String> served = client.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + manual.port() + "/app/boom")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).isEqualTo(500);
            // recorded just after its response: once the 500 is in, the earlier 503 would be too
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    reversed.find(HttpMetricsFilter.METRIC).tag("outcome", "SERVER_ERROR").timer() != null);
            assertThat(reversed.find(HttpMetricsFilter.METRIC).timers()).singleElement()
                    .satisfies(t -> assertThat(t.getId().getTag("status")).isEqualTo("500"));
        } finally {
            reversed.close();
        }
        get("/app/echo");
        await().atMost(Duration.ofSeconds(5)).until(() -> requestCount() >= before + 1);
        assertThat(requestCount()).isEqualTo(before + 1);
        assertThat(serverErrorCount()).isEqualTo(errorsBefore);
    }

    private double requestCount() {
        return registry.find(HttpMetricsFilter.METRIC).timers().stream().mapToDouble(t -> t.count()).sum();
    }

    private double serverErrorCount() {
        return registry.find(HttpMetricsFilter.METRIC).tag("outcome", "SERVER_ERROR").timers().stream()
                .mapToDouble(t -> t.count()).sum();
    }

    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*\\})?"
            + " (-?[0-9.]+([eE][-+]?[0-9]+)?|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
    private static final Pattern COMMENT = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*");

    private static void assertValidExposition(String body) {
        assertThat(body).endsWith("\n");
        for (String line : body.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            assertThat(SAMPLE.matcher(line).matches() || COMMENT.matcher(line).matches())
                    .as("exposition line: %s", line).isTrue();
        }
    }

    // ---- helpers ----

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    String raw(byte[] request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

}
