package io.opskit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthSnapshot;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.HealthEndpoint;
import io.opskit.core.endpoint.ShowDetails;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpsHttpServerTest {

    private static final CountDownLatch NEVER = new CountDownLatch(1);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static PrometheusMeterRegistry prometheus;
    private static Ops ops;
    private static OpsHttpServer server;
    private static String base;

    @BeforeAll
    static void start() {
        prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Duration longInterval = Duration.ofMinutes(10);
        ops = Ops.builder().serviceId("orders").version("1.0.0").meterRegistry(prometheus).threads(4)
                .check(CheckRegistration.builder("db:ping", () -> Result.pass("fine").withObservedValue(3, "ms"))
                        .interval(longInterval).build())
                .check(CheckRegistration.builder("engine:alive", Result::pass).probes(Probe.LIVENESS).interval(longInterval).build())
                .check(CheckRegistration.builder("payments:hung", () -> {
                    NEVER.await();      // a dependency that never answers
                    return Result.pass();
                }).timeout(Duration.ofMillis(300)).interval(Duration.ofSeconds(1)).build())
                .build().start();
        ops.markReady();
        await().atMost(Duration.ofSeconds(10)).until(() -> ops.check("payments:hung").map(s -> s.status() == Status.FAIL).orElse(false)
                && ops.check("db:ping").map(s -> !s.pending()).orElse(false));
        server = OpsHttpServer.builder(ops).address(InetAddress.getLoopbackAddress()).port(0).threads(4).build().start();
        base = "http://127.0.0.1:" + server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
        ops.close();
        NEVER.countDown();
    }

    private static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthAnswersAreTheBytesOfTheSharedEndpointForTheSameSnapshot() throws Exception {
        HealthEndpoint shared = HealthEndpoint.create(ops, ShowDetails.NEVER);
        for (String sub : List.of("", "live", "ready", "started", "db:ping", "payments:hung")) {
            HealthSnapshot before;
            HttpResponse<String> served;
            EndpointResponse expected;
            do {        // the hung check is re-judged every second: compare within one snapshot version
                before = ops.health();
                served = get(sub.isEmpty() ? "/health" : "/health/" + sub);
                expected = shared.handle(sub, EndpointRequest.of("GET", "127.0.0.1"));
            } while (ops.health().version() != before.version());
            assertThat(served.body()).as(sub).isEqualTo(expected.bodyText());
            assertThat(served.statusCode()).as(sub).isEqualTo(expected.status());
            assertThat(served.headers().firstValue("Content-Type")).contains(HealthEndpoint.CONTENT_TYPE);
            assertThat(served.headers().firstValue("Cache-Control")).contains("no-store");
        }
    }

    @Test
    void probesAnswerByTheirOwnStatus() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"fail\"");
        assertThat(get("/health/db:ping").statusCode()).isEqualTo(200);
        assertThat(get("/health/payments:hung").statusCode()).isEqualTo(503);
    }

    @Test
    void unknownPathsMethodsAndHeadAreAnsweredLikeTheServlet() throws Exception {
        HttpResponse<String> unknownCheck = get("/health/nope:nothing");
        assertThat(unknownCheck.statusCode()).isEqualTo(404);
        assertThat(unknownCheck.headers().firstValue("Content-Type")).contains(HealthEndpoint.CONTENT_TYPE);
        assertThat(get("/healthz").statusCode()).isEqualTo(404);
        assertThat(get("/other").statusCode()).isEqualTo(404);

        HttpResponse<String> post = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");

        HttpResponse<String> head = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/health/live"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length"))
                .hasValue(get("/health/live").body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void traceIsRefusedOnEveryPathAndEchoesNothing() throws Exception {
        try (OpsHttpServer withHandler = OpsHttpServer.builder(ops).address(InetAddress.getLoopbackAddress()).port(0)
                .eventsPath("/ops/events").handler("/ops/echo", ex -> {
                    byte[] body = ex.getRequestHeaders().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                    ex.close();
                }).build().start()) {
            for (String path : List.of("/health", "/health/live", "/metrics", "/ops/events", "/ops/echo", "/other")) {
                HttpResponse<String> trace = CLIENT.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + withHandler.port() + path)).header("Authorization", "Bearer s3cret-token")
                        .method("TRACE", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(trace.statusCode()).as(path).isEqualTo(405);
                assertThat(trace.body()).as(path).doesNotContain("s3cret-token");
            }
        }
    }

    @Test
    void detailsAreShownOnlyAsThePolicySays() throws Exception {
        assertThat(get("/health/db:ping").body()).doesNotContain("fine");
        try (OpsHttpServer detailed = OpsHttpServer.builder(ops).address(InetAddress.getLoopbackAddress()).port(0)
                .showDetails(ShowDetails.bearerToken("s3cret-0123456789abcdef")).build().start()) {
            URI uri = URI.create("http://127.0.0.1:" + detailed.port() + "/health/db:ping");
            String anonymous = CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
            String authorized = CLIENT.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer s3cret-0123456789abcdef").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(anonymous).doesNotContain("fine");
            assertThat(authorized).contains("fine").contains("\"observedValue\":3");
        }
    }

    @Test
    void metricsAreServedAsPrometheusTextOrOpenMetrics() throws Exception {
        HttpResponse<String> text = get("/metrics");
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).contains(OpsHttpServer.PROMETHEUS_TEXT);
        assertThat(text.body()).contains("# TYPE opskit_health_status gauge").contains("opskit_health_status{");

        HttpResponse<String> open = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
        assertThat(open.headers().firstValue("Content-Type")).contains(OpsHttpServer.OPENMETRICS_TEXT);
        assertThat(open.body()).contains("opskit_health_status").endsWith("# EOF\n");
    }

    @Test
    void thousandConcurrentRequestsWithAHungCheckAreAllAnsweredOnBoundedThreads() throws Exception {
        List<CompletableFuture<HttpResponse<Void>>> all = new ArrayList<>();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/health/ready")).timeout(Duration.ofSeconds(30)).build();
        for (int i = 0; i < 1000; i++) {
            all.add(CLIENT.sendAsync(ready, HttpResponse.BodyHandlers.discarding()));
        }
        CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        assertThat(all).allSatisfy(f -> assertThat(f.join().statusCode()).isEqualTo(503));
        assertThat(count("opskit-http-" + server.port() + "-")).isLessThanOrEqualTo(4);
    }

    @Test
    void closeLeavesNoThreadBehindAndFreesThePort() throws Exception {
        long dispatchers = count("HTTP-Dispatcher");
        OpsHttpServer other = OpsHttpServer.builder(ops).address(InetAddress.getLoopbackAddress()).port(0).threads(2)
                .eventsPath("/ops/events").build().start();
        int port = other.port();
        HttpResponse<String> events = CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ops/events")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(events.statusCode()).isEqualTo(200);
        assertThat(events.body()).contains("payments:hung");
        assertThat(count("opskit-http-" + port + "-")).isBetween(1L, 2L);
        assertThat(count("HTTP-Dispatcher")).isEqualTo(dispatchers + 1);

        other.close();
        other.close();
        // the pool has terminated when close returns; a worker thread may take a moment more to exit
        await().atMost(Duration.ofSeconds(5)).until(() -> count("opskit-http-" + port + "-") == 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> count("HTTP-Dispatcher") == dispatchers);
        try (java.net.ServerSocket rebind = new java.net.ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            assertThat(rebind.getLocalPort()).isEqualTo(port);
        }
        assertThatThrownBy(other::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void applicationHandlersShareThePortAndTheWorkers() throws Exception {
        try (OpsHttpServer withStatic = OpsHttpServer.builder(ops).address(InetAddress.getLoopbackAddress()).port(0)
                .handler("/static", ex -> {
                    ex.sendResponseHeaders(200, 2);
                    try (java.io.OutputStream out = ex.getResponseBody()) {
                        out.write("ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    }
                    assertThat(Thread.currentThread().getName()).startsWith("opskit-http-");
                }).build().start()) {
            URI uri = URI.create("http://127.0.0.1:" + withStatic.port() + "/static");
            assertThat(CLIENT.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
        }
        assertThatThrownBy(() -> OpsHttpServer.builder(ops).handler("/health", ex -> { }).build())
                .hasMessageContaining("handler path /health is taken");
    }

    private static long count(String namePrefix) {
        return threadNames().stream().filter(n -> n.startsWith(namePrefix)).count();
    }

    @Test
    void builderRejectsBadValuesNamingTheFix() {
        assertThatThrownBy(() -> OpsHttpServer.builder(ops).port(70000)).hasMessageContaining("port must be between 0 and 65535, but was 70000");
        assertThatThrownBy(() -> OpsHttpServer.builder(ops).threads(0)).hasMessageContaining("threads must be between 1 and 64");
        assertThatThrownBy(() -> OpsHttpServer.builder(ops).healthPath("health/")).hasMessageContaining("healthPath must be an absolute path");
        assertThatThrownBy(() -> OpsHttpServer.builder(ops).metricsPath("/health").build()).hasMessageContaining("must differ");
        assertThatThrownBy(() -> OpsHttpServer.builder(ops).port(server.port()).address(InetAddress.getLoopbackAddress()).build().start())
                .hasMessageContaining("could not bind the management server");
        assertThat(System.getProperty("sun.net.httpserver.nodelay")).isEqualTo("true");
    }

    private static List<String> threadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName).collect(Collectors.toList());
    }
}
