package io.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/** The example's Redis is a cache: killing it makes readiness WARN, and the items API serves from PostgreSQL. */
class ExampleCacheDownTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String status(JsonNode doc, String check) {
        return doc.get("checks").get(check).get(0).get("status").asText();
    }

    @Test
    void killingTheCacheMakesReadinessWarnAndItemsAreServedFromPostgres() throws Exception {
        int redisPort;
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        redis.start();
        try (ExampleApp app = ExampleApp.start(ExampleConfig.from(Map.of("PORT", "0", "OPS_MANAGEMENT_PORT", "none",
                "OPS_REDIS_URL", "redis://127.0.0.1:" + redisPort, "OPS_CHECK_INTERVAL", "1s")))) {
            int port = app.port();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(port, "/health/ready").statusCode() == 200);
            assertThat(app.ops().registrations()).filteredOn(r -> r.name().startsWith("redis:")).isNotEmpty()
                    .noneMatch(r -> r.critical());
            assertThat(get(port, "/api/items").statusCode()).isEqualTo(200);
            assertThat(get(port, "/api/items").headers().firstValue("X-Cache")).hasValue("HIT");

            redis.stop();
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    status(JSON.readTree(get(port, "/health/ready").body()), "redis:connection").equals("fail"));

            HttpResponse<String> ready = get(port, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(ready.body()).get("status").asText()).isEqualTo("warn");
            HttpResponse<String> items = get(port, "/api/items");
            assertThat(items.statusCode()).isEqualTo(200);
            assertThat(items.headers().firstValue("X-Cache")).hasValue("MISS");
            assertThat(JSON.readTree(items.body()).has("items")).isTrue();
        } finally {
            if (redis.isActive()) {
                redis.stop();
            }
        }
    }
}
