package io.opskit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpEndpointCheckTest {

    private static HttpServer server;
    private static ExecutorService pool;
    private static String base;
    private static final CountDownLatch RELEASE = new CountDownLatch(1);
    private static final List<String> AUTHORIZATIONS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        server.createContext("/ok", ex -> respond(ex, 200, "{\"status\":\"UP\"}"));
        server.createContext("/error", ex -> respond(ex, 500, "boom"));
        server.createContext("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", "/ok");
            respond(ex, 302, "");
        });
        server.createContext("/slow", ex -> {
            try {
                RELEASE.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(ex, 200, "late");
        });
        server.createContext("/delayed", ex -> {
            try {
                Thread.sleep(100); // the slow dependency itself, not a synchronisation
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(ex, 200, "ok");
        });
        server.createContext("/auth", ex -> {
            AUTHORIZATIONS.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
            AUTHORIZATIONS.add(ex.getRequestURI().toString());
            respond(ex, 401, "");
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopServer() {
        RELEASE.countDown();
        server.stop(0);
        pool.shutdownNow();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void okEndpointPassesWithItsResponseTime() throws Exception {
        Result r = HttpEndpointCheck.builder(base + "/ok").build().check();
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.observedUnit()).contains("ms");
        assertThat(r.observedValue()).hasValueSatisfying(v -> assertThat((Long) v).isGreaterThanOrEqualTo(0L));
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("GET " + base + "/ok -> 200"));
        assertThat(r.details()).containsEntry("status", 200).containsEntry("expectedStatus", "200-299");
    }

    @Test
    void serverErrorFails() throws Exception {
        Result r = HttpEndpointCheck.builder(base + "/error").method(HttpEndpointCheck.Method.HEAD).build().check();
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("HEAD").contains("-> 500").contains("expected 200-299"));
    }

    @Test
    void bodyPredicateDecides() throws Exception {
        assertThat(HttpEndpointCheck.builder(base + "/ok").body(b -> b.contains("UP"), "contains UP").build().check().status())
                .isEqualTo(Status.PASS);
        Result r = HttpEndpointCheck.builder(base + "/ok").body(b -> b.contains("DOWN"), "contains DOWN").maxBodyBytes(4)
                .build().check();
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("body did not match: contains DOWN"));
    }

    @Test
    void redirectsAreFollowedOnlyWhenAsked() throws Exception {
        Result notFollowed = HttpEndpointCheck.builder(base + "/redirect").build().check();
        assertThat(notFollowed.status()).isEqualTo(Status.FAIL);
        assertThat(notFollowed.output()).hasValueSatisfying(o -> assertThat(o).contains("302").contains("followRedirects(true)"));

        Result followed = HttpEndpointCheck.builder(base + "/redirect").followRedirects(true).build().check();
        assertThat(followed.status()).isEqualTo(Status.PASS);
        assertThat(followed.details()).containsEntry("finalUrl", base + "/ok");
    }

    @Test
    void slowEndpointFailsAtTheRequestTimeout() throws Exception {
        long start = System.nanoTime();
        Result r = HttpEndpointCheck.builder(base + "/slow").requestTimeout(Duration.ofMillis(300)).build().check();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("within 300 ms"));
    }

    @Test
    void responseSlowerThanTheThresholdWarns() throws Exception {
        Result r = HttpEndpointCheck.builder(base + "/delayed").slowThreshold(Duration.ofMillis(20)).build().check();
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("slower than 20 ms"));
        assertThat(HttpEndpointCheck.builder(base + "/delayed").slowThreshold(Duration.ofSeconds(5)).build().check().status())
                .isEqualTo(Status.PASS);
        assertThatThrownBy(() -> HttpEndpointCheck.builder(base).slowThreshold(Duration.ZERO))
                .hasMessageContaining("slowThreshold must be positive");
    }

    @Test
    void hangingPeerThatAcceptsAndNeverAnswersFailsAtTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            Result r = HttpEndpointCheck.builder("http://127.0.0.1:" + silent.getLocalPort() + "/health")
                    .requestTimeout(Duration.ofMillis(300)).build().check();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(2));
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("within 300 ms"));
        }
    }

    @Test
    void refusedConnectionFailsFast() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // a refusal is reported as such, not as the request timeout it could have waited for
        Result r = HttpEndpointCheck.builder("http://127.0.0.1:" + port + "/").requestTimeout(Duration.ofSeconds(5)).build().check();
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("connection refused").doesNotContain("timed out"));
    }

    @Test
    void credentialsInTheUrlAreSentAsBasicAuthAndNeverShown() throws Exception {
        HttpEndpointCheck check = HttpEndpointCheck.builder("http://ops:s3cr3t@127.0.0.1:" + server.getAddress().getPort()
                + "/auth/a%2Fb?x=1").build();
        Result r = check.check();
        assertThat(AUTHORIZATIONS).contains("Basic b3BzOnMzY3IzdA==", "/auth/a%2Fb?x=1");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output().orElseThrow()).doesNotContain("s3cr3t").contains("ops:****@");
        assertThat(r.details().toString()).doesNotContain("s3cr3t");
        assertThat(check.toString()).doesNotContain("s3cr3t");
        assertThatThrownBy(() -> HttpEndpointCheck.builder("ftp://ops:s3cr3t@host/"))
                .hasMessageContaining("absolute http or https URL").satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    }

    @Test
    void builderRejectsBadValuesNamingTheFix() {
        assertThatThrownBy(() -> HttpEndpointCheck.builder(" ")).hasMessageContaining("url must not be blank");
        assertThatThrownBy(() -> HttpEndpointCheck.builder(base).expectStatus(300, 200))
                .hasMessageContaining("expectStatus must be a range within 100-599, but was 300-200");
        assertThatThrownBy(() -> HttpEndpointCheck.builder(base).requestTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("requestTimeout must be positive, but was PT-1S");
        assertThatThrownBy(() -> HttpEndpointCheck.builder(base).body(b -> true, " "))
                .hasMessageContaining("body description must not be blank");
        assertThatThrownBy(() -> HttpEndpointCheck.builder(base).method(HttpEndpointCheck.Method.HEAD).body(b -> true, "x").build())
                .hasMessageContaining("body predicate needs a body, but method was HEAD: use Method.GET");
    }
}
