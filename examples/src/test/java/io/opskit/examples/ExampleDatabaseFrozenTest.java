package io.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A database frozen with SIGSTOP (every PostgreSQL process stopped: the server neither answers nor
 * closes a connection) holds the example's request threads only for the bounded query time
 * (OPS_DB_QUERY_TIMEOUT plus the driver's 5 s), never for ever, and liveness on the management port
 * keeps answering; after SIGCONT the API serves again without a restart.
 */
class ExampleDatabaseFrozenTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(int port, String path, Duration timeout) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The postmaster's pid (it forks a backend for every new connection). */
    private static long postmaster(EmbeddedPostgres pg) throws Exception {
        String dataDir;
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT current_setting('data_directory')")) {
            rs.next();
            dataDir = rs.getString(1);
        }
        return Long.parseLong(Files.readAllLines(Path.of(dataDir, "postmaster.pid")).get(0).trim());
    }

    /**
     * Freezes the postmaster first, so that it forks no backend any more, then every process under it
     * (each backend serves one connection); returns them all, for SIGCONT.
     */
    private static List<String> freeze(long postmaster) throws Exception {
        List<String> pids = new ArrayList<>(List.of(Long.toString(postmaster)));
        signal("STOP", pids);
        List<String> children = new ArrayList<>();
        ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> children.add(Long.toString(p.pid())));
        signal("STOP", children);
        pids.addAll(children);
        return pids;
    }

    /** Signals each process; one that ended meanwhile (a backend exiting) is no longer there to signal. */
    private static void signal(String signal, List<String> pids) throws Exception {
        for (String pid : pids) {
            Process p = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            boolean alive = ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
            assertThat(p.exitValue() == 0 || !alive).as("kill -%s %s", signal, pid).isTrue();
        }
    }

    @Test
    void aFrozenDatabaseHoldsRequestThreadsOnlyForTheBoundedQueryTime() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
             ExampleApp app = ExampleApp.start(ExampleConfig.from(Map.of("PORT", "0", "OPS_MANAGEMENT_PORT", "0",
                     "OPS_REDIS_URL", "none", "OPS_DB_URL", "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres",
                     "OPS_DB_QUERY_TIMEOUT", "2s")))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> get(app.port(), "/api/slow?ms=10&db=true", Duration.ofSeconds(10))
                    .statusCode() == 200);
            List<String> pids = freeze(postmaster(pg));
            try {
                List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                HttpRequest slow = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/slow?ms=10&db=true"))
                        .timeout(Duration.ofSeconds(30)).build();
                for (int i = 0; i < 10; i++) {
                    calls.add(HTTP.sendAsync(slow, HttpResponse.BodyHandlers.ofString()));
                }
                // every call comes back (an error, not a hang): the query is bounded by statement and socket timeouts
                for (CompletableFuture<HttpResponse<String>> call : calls) {
                    assertThat(call.get(30, TimeUnit.SECONDS).statusCode()).isGreaterThanOrEqualTo(500);
                }
                assertThat(get(app.managementPort(), "/health/live", Duration.ofSeconds(2)).statusCode()).isEqualTo(200);
            } finally {
                signal("CONT", pids);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> get(app.port(), "/api/slow?ms=10&db=true", Duration.ofSeconds(10))
                    .statusCode() == 200);
        }
    }
}
