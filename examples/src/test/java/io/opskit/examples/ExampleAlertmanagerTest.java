package io.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/**
 * Issue #16 end to end: a real Alertmanager (Debian's prometheus-alertmanager) and the example with
 * OPS_ALERTMANAGER_URL; Redis stopped under the example makes its failing checks alerts listed by
 * Alertmanager's API, and they resolve once Redis is back.
 */
class ExampleAlertmanagerTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String binary() {
        for (String name : Stream.of(System.getenv("OPSKIT_ALERTMANAGER_BIN"), "prometheus-alertmanager", "alertmanager")
                .filter(n -> n != null).toList()) {
            if (name.contains("/") ? new File(name).canExecute() : Stream.of(System.getenv().getOrDefault("PATH", "")
                    .split(File.pathSeparator)).anyMatch(d -> new File(d, name).canExecute())) {
                return name;
            }
        }
        return fail("no Alertmanager binary: install Debian's prometheus-alertmanager (.ci/run does) or set OPSKIT_ALERTMANAGER_BIN");
    }

    /** The alerts Alertmanager lists as active for {@code check}. */
    private static long activeAlerts(URI base, String check) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v2/alerts?active=true")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        long n = 0;
        for (JsonNode a : JSON.readTree(body)) {
            if (check.equals(a.path("labels").path("check").asText()) && "active".equals(a.path("status").path("state").asText())) {
                n++;
            }
        }
        return n;
    }

    @Test
    void redisStoppedUnderTheExampleIsAnAlertInAlertmanagerAndResolvesWhenItReturns() throws Exception {
        Path dir = Files.createTempDirectory("opskit-example-alertmanager");
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, "route:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n  - name: blackhole\n");
        int amPort = freePort();
        Process alertmanager = new ProcessBuilder(binary(), "--config.file=" + config, "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + amPort, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        URI base = URI.create("http://127.0.0.1:" + amPort);
        int redisPort = freePort();
        RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").build();
        redis.start();
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> HTTP.send(
                    HttpRequest.newBuilder(base.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            try (ExampleApp app = ExampleApp.start(ExampleConfig.from(Map.of("PORT", "0", "OPS_MANAGEMENT_PORT", "0",
                    "OPS_REDIS_URL", "redis://127.0.0.1:" + redisPort, "OPS_CHECK_INTERVAL", "1s",
                    "OPS_ALERTMANAGER_URL", base.toString())))) {
                await().atMost(Duration.ofSeconds(30)).until(() -> HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.managementPort() + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
                assertThat(activeAlerts(base, "redis:connection")).isZero();

                redis.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> activeAlerts(base, "redis:connection") == 1);

                redis.start();
                await().atMost(Duration.ofSeconds(60)).until(() -> activeAlerts(base, "redis:connection") == 0);
            }
        } finally {
            if (redis.isActive()) {
                redis.stop();
            }
            alertmanager.destroy();
            alertmanager.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
