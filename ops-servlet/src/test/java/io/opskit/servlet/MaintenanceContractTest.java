package io.opskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.ActionEvent;
import io.opskit.core.Ops;
import io.opskit.core.endpoint.contract.MovableClock;
import io.opskit.core.endpoint.contract.RawHttp;
import io.opskit.core.maintenance.MaintenanceConfig;
import io.opskit.core.maintenance.MaintenanceGate;
import io.opskit.core.maintenance.MaintenanceMode;
import jakarta.servlet.ServletContainerInitializer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The hardened maintenance filter against a real container (subclasses: Jetty 12, Tomcat 11):
 * the loopback peer plays a trusted proxy that appends to {@code X-Forwarded-For}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MaintenanceContractTest {

    static final String SECRET = "operator-secret-0123456789";
    static final String COOKIE = MaintenanceConfig.DEFAULT_BYPASS_COOKIE;

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    final MovableClock clock = new MovableClock();
    PrometheusMeterRegistry registry;
    Ops ops;
    MaintenanceMode maintenance;
    TestServer server;

    /** Starts the container under test with {@code setup}. */
    abstract TestServer start(ServletContainerInitializer setup) throws Exception;

    @BeforeAll
    void startServer() throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ops = Ops.builder().serviceId("orders").meterRegistry(registry).build().start();
        maintenance = MaintenanceMode.builder().ignoreEnvironment().clock(clock).build();
        server = start(setup(ops, maintenance));
    }

    static ServletContainerInitializer setup(Ops ops, MaintenanceMode maintenance) {
        OpsServletConfig config = OpsServletConfig.builder()
                .maintenanceMode(maintenance)
                .maintenanceConfig(MaintenanceConfig.builder().bypassSecret(SECRET).allowCidrs("10.0.0.0/8")
                        .trustedProxies("127.0.0.1/32").build())
                .build();
        ServletContainerInitializer opskit = OpsServlets.initializer(ops, config);
        return (classes, context) -> {
            context.addServlet("root", new TestApp.Echo()).addMapping("/");
            opskit.onStartup(classes, context);
        };
    }

    @AfterAll
    void stopServer() {
        server.close();
        maintenance.close();
        ops.close();
        registry.close();
    }

    @AfterEach
    void restore() {
        maintenance.disable();
    }

    @Test
    void aClientsOwnForwardedHeaderIsIgnoredWhenTheProxyAppendsXForwardedFor() throws Exception {
        maintenance.enable("upgrade");
        // the proxy appended the real client 203.0.113.5; the client wrote an allowlisted Forwarded itself
        assertThat(get("/app", "Forwarded", "for=10.1.2.3", "X-Forwarded-For", "203.0.113.5").statusCode())
                .isEqualTo(503);
        assertThat(get("/app", "Forwarded", "for=10.1.2.3").statusCode()).isEqualTo(503);
        // the client's own X-Forwarded-For is to the left of what the proxy appended: the right-most hop counts
        assertThat(get("/app", "X-Forwarded-For", "10.1.2.3, 203.0.113.5").statusCode()).isEqualTo(503);
        assertThat(get("/app", "X-Forwarded-For", "203.0.113.5, 10.1.2.3").statusCode()).isEqualTo(200);
    }

    @Test
    void theBypassCookieExpiresAndForgedCookiesAreRefused() throws Exception {
        maintenance.enable("upgrade");
        HttpResponse<String> link = get("/app?maintenance-bypass=" + SECRET);
        assertThat(link.statusCode()).isEqualTo(303);
        String setCookie = link.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly", "SameSite=Lax", "Max-Age=3600").doesNotContain("Secure")
                .doesNotContain(SECRET);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String value = cookie.substring(cookie.indexOf('=') + 1);
        String expiry = value.substring(0, value.indexOf('.'));
        String mac = value.substring(value.indexOf('.') + 1);

        assertThat(get("/app", "Cookie", cookie).statusCode()).isEqualTo(200);
        assertThat(get("/app", "Cookie", COOKIE + "=" + (Long.parseLong(expiry) + 3600) + "." + mac).statusCode())
                .as("expiry moved by the client").isEqualTo(503);
        assertThat(get("/app", "Cookie", COOKIE + "=" + expiry + "." + "0".repeat(64)).statusCode()).isEqualTo(503);
        clock.advance(Duration.ofMinutes(61));
        assertThat(get("/app", "Cookie", cookie).statusCode()).as("expired").isEqualTo(503);
    }

    @Test
    void refusalsAreCountedAndBypassesAuditedOncePerClient() throws Exception {
        maintenance.enable("upgrade");
        double refusedBefore = registry.get(MaintenanceGate.REFUSED_METRIC).counter().count();
        for (int i = 0; i < 3; i++) {
            assertThat(get("/app").statusCode()).isEqualTo(503);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(get("/app/" + i, "X-Forwarded-For", "10.9.8.7").statusCode()).isEqualTo(200);
        }
        assertThat(registry.get(MaintenanceGate.REFUSED_METRIC).counter().count() - refusedBefore).isEqualTo(3.0);
        String scrape = get("/metrics").body();
        assertThat(scrape).containsPattern("(?m)^opskit_maintenance_refused_requests_total(\\{[^}]*\\})? [1-9]")
                .containsPattern("(?m)^opskit_maintenance_bypassed_requests_total\\{[^}]*by=\"allowlist\"[^}]*\\} [1-9]");
        List<ActionEvent> audited = ops.events().history().stream().filter(ActionEvent.class::isInstance)
                .map(ActionEvent.class::cast).filter(e -> e.action().equals("bypass"))
                .filter(e -> "10.9.8.7".equals(e.details().get("client"))).toList();
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("maintenance");
            assertThat(e.details()).containsEntry("by", "allowlist").containsEntry("path", "/app/0");
        });
    }

    @Test
    void aPostRefusedBeforeItsBodyArrivedNeverStrandsTheNextRequestOnItsConnection() throws Exception {
        maintenance.enable("upgrade");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            out.write("POST /app/orders HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Map<String, String> refusal = RawHttp.readResponse(in);
            assertThat(refusal.get(":status")).isEqualTo("503");
            if (!"close".equalsIgnoreCase(refusal.get("connection"))) {
                out.write("{}GET /app HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: 10.1.2.3\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(RawHttp.readResponse(in).get(":status")).as("the next request on the connection").isEqualTo("200");
            }
        }
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
