package io.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The example without Redis and with an HTTP dependency that goes down mid-test. */
class ExampleDependencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static JsonNode health(int port, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private static String status(JsonNode doc, String check) {
        return doc.get("checks").get(check).get(0).get("status").asText();
    }

    @Test
    void aDependencyGoingDownFailsItsCheckOpensItsBreakerAndOnlyWarnsReadiness() throws Exception {
        HttpServer dependency = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        dependency.createContext("/status", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        dependency.start();
        String url = "http://127.0.0.1:" + dependency.getAddress().getPort() + "/status";
        try (ExampleApp app = ExampleApp.start(ExampleConfig.from(Map.of("PORT", "0", "OPS_MANAGEMENT_PORT", "none", "OPS_REDIS_URL", "none",
                "OPS_CHECK_URL", url, "OPS_CHECK_INTERVAL", "200ms", "OPS_CHECK_TIMEOUT", "1s")))) {
            int port = app.port();
            await().atMost(Duration.ofSeconds(20)).until(() -> status(health(port, "/health"), "dependency:responseTime").equals("pass"));
            JsonNode all = health(port, "/health");
            assertThat(all.get("checks").has("redis:responseTime")).isFalse();
            assertThat(status(all, "dependency:circuitBreaker")).isEqualTo("pass");

            dependency.stop(0);
            await().atMost(Duration.ofSeconds(10)).until(() -> status(health(port, "/health"), "dependency:responseTime").equals("fail"));
            await().atMost(Duration.ofSeconds(20)).until(() -> health(port, "/health/dependency:circuitBreaker")
                    .get("checks").get("dependency:circuitBreaker").get(0).get("output").asText().contains("OPEN"));
            JsonNode ready = health(port, "/health/ready");
            assertThat(ready.get("status").asText()).isEqualTo("warn");
            // while the breaker is open, the dependency is not even tried: its check fails fast
            await().atMost(Duration.ofSeconds(5)).until(() -> health(port, "/health/dependency:responseTime").get("checks")
                    .get("dependency:responseTime").get(0).get("output").asText().contains("is OPEN"));
            assertThat(health(port, "/ops/events").toString()).contains("CLOSED -> OPEN");
        } finally {
            dependency.stop(0);
        }
    }
}
