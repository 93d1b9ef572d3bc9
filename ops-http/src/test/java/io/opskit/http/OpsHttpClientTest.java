package io.opskit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import io.opskit.core.Status;
import io.opskit.core.breaker.BreakerDefaults;
import io.opskit.core.breaker.BreakerHealth;
import io.opskit.core.breaker.Breakers;
import io.opskit.core.correlation.CorrelationId;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsHttpClientTest {

    private static HttpServer server;
    private static ExecutorService pool;
    private static String base;
    /** The status /status answers with; 503s left to answer on /flaky before it answers 200. */
    private static final AtomicInteger STATUS = new AtomicInteger(200);
    private static final AtomicInteger FLAKY = new AtomicInteger();
    private static final AtomicInteger HITS = new AtomicInteger();
    private static final List<String> CORRELATION = new CopyOnWriteArrayList<>();
    private static final HttpClient PLAIN = HttpClient.newHttpClient();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private CircuitBreakerRegistry registry;
    private OpsHttpClient client;

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.createContext("/", ex -> {
            HITS.incrementAndGet();
            CORRELATION.add(String.valueOf(ex.getRequestHeaders().getFirst("X-Correlation-ID")));
            int status = ex.getRequestURI().getPath().startsWith("/flaky")
                    ? (FLAKY.getAndDecrement() > 0 ? 503 : 200)
                    : STATUS.get();
            byte[] body = ("status " + status).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        pool.shutdownNow();
    }

    @BeforeEach
    void freshClient() {
        STATUS.set(200);
        FLAKY.set(0);
        CORRELATION.clear();
        registry = CircuitBreakerRegistry.of(BreakerDefaults.custom().slidingWindowSize(4).minimumNumberOfCalls(4)
                .permittedNumberOfCallsInHalfOpenState(1).waitDurationInOpenState(Duration.ofMillis(300)).build());
        client = OpsHttpClient.builder(PLAIN).breakers(Breakers.of(registry)).meterRegistry(meters).build();
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).build();
    }

    private String breakerName() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void currentCorrelationIdIsSentOnSyncAndAsyncRequests() throws Exception {
        CorrelationId.Scope scope = CorrelationId.open("req-42");
        try {
            client.send(get("/a"), HttpResponse.BodyHandlers.discarding());
            client.sendAsync(get("/b"), HttpResponse.BodyHandlers.discarding()).get();
            client.send(HttpRequest.newBuilder(URI.create(base + "/c")).header("X-Correlation-ID", "explicit").build(),
                    HttpResponse.BodyHandlers.discarding());
        } finally {
            scope.close();
        }
        client.send(get("/d"), HttpResponse.BodyHandlers.discarding());
        assertThat(CORRELATION).containsExactly("req-42", "req-42", "explicit", "null");
    }

    @Test
    void anInvalidCorrelationIdInTheMdcIsNotSent() throws Exception {
        CorrelationId.Scope scope = CorrelationId.open("bad id\r\nX-Injected: 1");
        try {
            assertThat(client.send(get("/a"), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        } finally {
            scope.close();
        }
        assertThat(CORRELATION).containsExactly("null");
    }

    @Test
    void requestsAreTimedWithBoundedTags() throws Exception {
        for (int i = 0; i < 120; i++) {
            client.send(get("/items/" + i), HttpResponse.BodyHandlers.discarding());
        }
        Timer timer = meters.get(OpsHttpClient.METRIC_NAME).tag("uri", "/items/{id}").tag("status", "200")
                .tag("outcome", "SUCCESS").tag("method", "GET").tag("client.name", breakerName()).tag("exception", "none").timer();
        assertThat(timer.count()).isEqualTo(120);
        assertThat(meters.find(OpsHttpClient.METRIC_NAME).timers()).hasSize(1);

        OpsHttpClient raw = OpsHttpClient.builder(PLAIN).meterRegistry(meters).uriTag(r -> r.uri().getPath()).maxUriTags(5).build();
        for (int i = 0; i < 20; i++) {
            raw.send(get("/raw/" + i), HttpResponse.BodyHandlers.discarding());
        }
        assertThat(meters.find(OpsHttpClient.METRIC_NAME).timers()).hasSize(1 + 5 + 1);
        assertThat(meters.get(OpsHttpClient.METRIC_NAME).tag("uri", "OTHER").timer().count()).isEqualTo(15);
    }

    @Test
    void breakerOpensAfterServerErrorsAndThenFailsFastWithoutSending() throws Exception {
        STATUS.set(500);
        for (int i = 0; i < 4; i++) {
            assertThat(client.send(get("/x"), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(500);
        }
        assertThat(registry.circuitBreaker(breakerName()).getState()).isEqualTo(CircuitBreaker.State.OPEN);

        int hits = HITS.get();      // failing fast means not sending: the server counts no request
        assertThatThrownBy(() -> client.send(get("/x?token=abc"), HttpResponse.BodyHandlers.discarding()))
                .isInstanceOf(HttpCircuitOpenException.class)
                .hasMessageContaining("circuit breaker '" + breakerName() + "' is OPEN")
                .hasMessageContaining("was not sent").hasMessageContaining("failure rate 100.0%")
                .hasMessageNotContaining("abc")
                .satisfies(e -> assertThat(((HttpCircuitOpenException) e).breakerName()).isEqualTo(breakerName()));
        ExecutionException async = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> client.sendAsync(get("/x"), HttpResponse.BodyHandlers.discarding()).get());
        assertThat(async.getCause()).isInstanceOf(HttpCircuitOpenException.class);
        assertThat(HITS.get()).isEqualTo(hits);
        assertThat(meters.get(OpsHttpClient.METRIC_NAME).tag("status", "CIRCUIT_OPEN").timer().count()).isEqualTo(2);
    }

    @Test
    void halfOpenTrialCallClosesTheBreakerWhenTheTargetRecovered() throws Exception {
        STATUS.set(503);
        for (int i = 0; i < 4; i++) {
            client.send(get("/x"), HttpResponse.BodyHandlers.discarding());
        }
        CircuitBreaker breaker = registry.circuitBreaker(breakerName());
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        STATUS.set(200);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            try {
                return client.send(get("/x"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (HttpCircuitOpenException stillOpen) {
                return false;
            }
        });
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void connectionErrorsAndTimeoutsCountAsFailures() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HttpRequest refused = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/")).build();
        assertThatThrownBy(() -> client.send(refused, HttpResponse.BodyHandlers.discarding())).isInstanceOf(IOException.class);
        assertThat(registry.circuitBreaker("127.0.0.1:" + closedPort).getMetrics().getNumberOfFailedCalls()).isEqualTo(1);

        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HttpRequest hanging = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"))
                    .timeout(Duration.ofMillis(200)).build();
            ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                    () -> client.sendAsync(hanging, HttpResponse.BodyHandlers.discarding()).get());
            assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
            assertThat(registry.circuitBreaker("127.0.0.1:" + silent.getLocalPort()).getMetrics().getNumberOfFailedCalls())
                    .isEqualTo(1);
        }
        assertThat(meters.get(OpsHttpClient.METRIC_NAME).tag("exception", "HttpTimeoutException").timer().count()).isEqualTo(1);
    }

    @Test
    void idempotentRequestsAreRetriedWithBackoffAndOthersAreNot() throws Exception {
        OpsHttpClient retrying = OpsHttpClient.builder(PLAIN).breakers(Breakers.ofDefaults()).meterRegistry(meters)
                .retry(3, Duration.ofMillis(10)).build();
        FLAKY.set(2);
        HttpResponse<String> r = retrying.send(get("/flaky"), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(meters.get(OpsHttpClient.METRIC_NAME).tag("uri", "/flaky").tag("status", "503").timer().count()).isEqualTo(2);

        FLAKY.set(2);
        assertThat(retrying.sendAsync(get("/flaky"), HttpResponse.BodyHandlers.ofString()).get().statusCode()).isEqualTo(200);

        FLAKY.set(5);
        assertThat(retrying.send(get("/flaky"), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("gives up after 3 attempts with the last answer").isEqualTo(503);

        FLAKY.set(1);
        HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/flaky")).POST(HttpRequest.BodyPublishers.ofString("x")).build();
        assertThat(retrying.send(post, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
    }

    @Test
    void healthCheckFollowsTheBreakerOfATarget() throws Exception {
        try (Ops ops = Ops.builder().threads(2).build().start()) {
            ops.attach(BreakerHealth.builder(registry).build());
            String check = BreakerHealth.checkName(breakerName());
            assertThat(check).isEqualTo("127.0.0.1-" + server.getAddress().getPort() + ":circuitBreaker");
            client.send(get("/x"), HttpResponse.BodyHandlers.discarding());
            await().atMost(Duration.ofSeconds(5)).until(() -> status(ops, check) == Status.PASS);

            STATUS.set(500);
            for (int i = 0; i < 3; i++) {
                client.send(get("/x"), HttpResponse.BodyHandlers.discarding());
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> status(ops, check) == Status.FAIL);

            STATUS.set(200);
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                try {
                    client.send(get("/x"), HttpResponse.BodyHandlers.discarding());
                } catch (HttpCircuitOpenException stillOpen) {
                    // wait for the trial call
                }
                return status(ops, check) == Status.PASS;
            });
        }
    }

    private static Status status(Ops ops, String name) {
        return ops.check(name).map(CheckState::status).orElse(null);
    }

    @Test
    void lifecycleCallsReachTheWrappedClientWhereTheJdkHasThem() throws Exception {
        OpsHttpClient own = OpsHttpClient.builder(HttpClient.newHttpClient()).build();
        own.send(get("/a"), HttpResponse.BodyHandlers.discarding());
        own.close();
        if (Runtime.version().feature() >= 21) {
            assertThat(own.isTerminated()).isTrue();
            assertThat(own.awaitTermination(Duration.ofSeconds(1))).isTrue();
        } else {
            assertThat(own.isTerminated()).isFalse();
            assertThat(own.awaitTermination(Duration.ofSeconds(1))).isFalse();
        }
    }

    @Test
    void builderRejectsBadValuesNamingTheFix() {
        assertThatThrownBy(() -> OpsHttpClient.builder(PLAIN).retry(1, Duration.ofMillis(10)))
                .hasMessageContaining("maxAttempts must be between 2 and 10, but was 1");
        assertThatThrownBy(() -> OpsHttpClient.builder(PLAIN).retry(3, Duration.ZERO))
                .hasMessageContaining("initialBackoff must be positive");
        assertThatThrownBy(() -> OpsHttpClient.builder(PLAIN).correlationHeader("X Bad"))
                .hasMessageContaining("correlationHeader must be a header name");
        assertThatThrownBy(() -> OpsHttpClient.builder(PLAIN).maxUriTags(0)).hasMessageContaining("maxUriTags must be between");
        assertThatThrownBy(() -> OpsHttpClient.builder(client)).hasMessageContaining("already an OpsHttpClient");
        assertThat(client.breakerNameOf(HttpRequest.newBuilder(URI.create("https://api.example.com/x")).build()))
                .isEqualTo("api.example.com");
        assertThat(client.breakerNameOf(HttpRequest.newBuilder(URI.create("https://api.example.com:8443/x")).build()))
                .isEqualTo("api.example.com:8443");
    }
}
