package io.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import redis.embedded.RedisServer;

/** The example runs like a service: it starts while its dependencies are down or misconfigured, and gets ready once they are back. */
class ExampleDependenciesDownTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static volatile String lastBody = "";

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String status(int port, String check) throws Exception {
        JsonNode c = JSON.readTree(get(port, "/health").body()).get("checks").get(check);
        return c == null ? "absent" : c.get(0).get("status").asText();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void startsWithTheDatabaseDownAndARedisThatNeverAnswersThenGetsReadyOnceBothAreBack() throws Exception {
        int pgPort = freePort();
        List<Socket> held = new CopyOnWriteArrayList<>();
        ServerSocket hanging = new ServerSocket(0);       // accepts, never answers: a Redis handshake that takes for ever
        int redisPort = hanging.getLocalPort();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    held.add(hanging.accept());
                }
            } catch (java.io.IOException closed) {
                // the test closed it
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        EmbeddedPostgres pg = null;
        RedisServer redis = null;
        try (ExampleApp app = ExampleApp.start(ExampleConfig.from(Map.of("PORT", "0", "OPS_MANAGEMENT_PORT", "0",
                "OPS_DB_URL", "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres", "OPS_REDIS_URL", "redis://127.0.0.1:" + redisPort,
                "OPS_CHECK_INTERVAL", "1s")))) {
            int mgmt = app.managementPort();
            await().atMost(Duration.ofSeconds(20)).until(() -> status(mgmt, "db:connection").equals("fail"));
            HttpResponse<String> ready = get(mgmt, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode checks = JSON.readTree(ready.body()).get("checks");
            assertThat(checks.get("db:connection").get(0).get("status").asText()).isEqualTo("fail");
            assertThat(checks.get("redis:connection").get(0).get("status").asText()).isEqualTo("fail");
            assertThat(get(app.port(), "/api/items").statusCode()).isEqualTo(503);

            pg = EmbeddedPostgres.builder().setPort(pgPort).start();
            await().atMost(Duration.ofSeconds(30)).alias("ready once PostgreSQL is back").until(() -> {
                HttpResponse<String> r = get(mgmt, "/health/ready");
                lastBody = r.body();
                return r.statusCode() == 200;
            });
            assertThat(get(app.port(), "/api/items").statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(get(mgmt, "/health/ready").body()).get("status").asText()).isEqualTo("warn");   // Redis is a cache

            hanging.close();
            for (Socket s : held) {
                s.close();
            }
            redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1").setting("save \"\"").setting("appendonly no").build();
            redis.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(mgmt, "redis:responseTime").equals("pass")
                    && status(mgmt, "redis:connection").equals("pass"));
            get(app.port(), "/api/items");
            assertThat(get(app.port(), "/api/items").headers().firstValue("X-Cache")).hasValue("HIT");
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; last answer: " + lastBody, e);
        } finally {
            hanging.close();
            if (redis != null) {
                redis.stop();
            }
            if (pg != null) {
                pg.close();
            }
        }
    }

    @Test
    void startsWithAWrongDatabasePasswordAndGetsReadyOnceThePasswordMatches() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectoryCustomizer(dir -> {
            try {   // passwords are checked for every user but postgres (the test's own)
                Files.writeString(dir.toPath().resolve("pg_hba.conf"), "local all all trust\n"
                        + "host all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 scram-sha-256\n"
                        + "host all all ::1/128 scram-sha-256\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE app LOGIN SUPERUSER PASSWORD 'the-right-one'");
            }
            try (ExampleApp app = ExampleApp.start(ExampleConfig.from(Map.of("PORT", "0", "OPS_MANAGEMENT_PORT", "0",
                    "OPS_DB_URL", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres", "OPS_DB_USER", "app",
                    "OPS_DB_PASSWORD", "a-wrong-one", "OPS_REDIS_URL", "none", "OPS_CHECK_INTERVAL", "1s")))) {
                int mgmt = app.managementPort();
                await().atMost(Duration.ofSeconds(20)).until(() -> {
                    JsonNode db = JSON.readTree(get(mgmt, "/health/ready").body()).get("checks").get("db:connection").get(0);
                    return db.get("status").asText().equals("fail") && !db.get("output").asText().startsWith("pending");
                });
                HttpResponse<String> ready = get(mgmt, "/health/ready");
                assertThat(ready.statusCode()).isEqualTo(503);
                assertThat(ready.body()).doesNotContain("a-wrong-one");
                assertThat(get(app.port(), "/api/items").statusCode()).isEqualTo(503);

                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("ALTER ROLE app PASSWORD 'a-wrong-one'");     // the operator fixes it on the server side
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> get(mgmt, "/health/ready").statusCode() == 200);
                assertThat(get(app.port(), "/api/items").statusCode()).isEqualTo(200);
            }
        }
    }
}
