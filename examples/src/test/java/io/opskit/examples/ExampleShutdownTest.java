package io.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Shutdown loses nothing: a request started late in the drain completes, and resources close after it, embedded servers last. */
class ExampleShutdownTest {

    @Test
    void aRequestStartedLateInTheDrainCompletesAndResourcesCloseAfterIt() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        HttpClient http = HttpClient.newHttpClient();
        ExampleApp app = ExampleApp.start(ExampleConfig.from(Map.of("PORT", "0", "OPS_MANAGEMENT_PORT", "0", "OPS_DRAIN", "5s")));
        try {
            String api = "http://127.0.0.1:" + app.port();
            String management = "http://127.0.0.1:" + app.managementPort();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(http, management + "/health/ready") == 200);
            // warm: the schema, the cache and the pool are ready before the drain starts, so its timeline holds on a slow machine
            await().atMost(Duration.ofSeconds(30)).until(() -> status(http, api + "/api/items") == 200);

            long drainStarted = System.nanoTime();
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(app::shutdown);
            await().atMost(Duration.ofSeconds(3)).until(() -> status(http, management + "/health/ready") == 503);
            // the database and the cache still serve during the drain: nothing stopped in a shutdown hook of its own
            HttpResponse<String> items = http.send(HttpRequest.newBuilder(URI.create(api + "/api/items")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(items.statusCode()).isEqualTo(200);

            // 3.5 s into the 5 s drain, a request that needs 2.5 s in the database (it ends 1 s after the drain)
            long startAt = TimeUnit.MILLISECONDS.toNanos(3500) - (System.nanoTime() - drainStarted);
            assertThat(startAt).as("the test's own steps took longer than the drain allows").isPositive();
            CompletableFuture<HttpResponse<String>> late = new CompletableFuture<>();
            // a client of its own: a new connection made 3.5 s in, not a keep-alive one the server may close as it stops
            HttpClient lateClient = HttpClient.newHttpClient();
            timer.schedule(() -> lateClient.sendAsync(HttpRequest.newBuilder(URI.create(api + "/api/slow?ms=2500&db=true"))
                    .header("X-Correlation-ID", "late-request").build(), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            late.completeExceptionally(e);
                        } else {
                            late.complete(r);
                        }
                    }), startAt, TimeUnit.NANOSECONDS);

            HttpResponse<String> answer = late.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"sleptMs\":2500", "\"db\":true");
            shutdown.get(30, TimeUnit.SECONDS);

            List<String> lines;
            synchronized (logs) {
                lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            }
            int stoppedAccepting = indexOf(lines, "shutdown: stopped accepting");
            int requestDone = indexOf(lines, "GET /api/slow 200");
            assertThat(lines.get(stoppedAccepting)).as(() -> String.join("\n", lines)).contains("for 1 request(s) in flight");
            assertThat(stoppedAccepting).isLessThan(requestDone);
            assertThat(requestDone).isLessThan(indexOf(lines, "shutdown: stopped the HTTP server"));
            assertThat(List.of("shutdown: closed Redis connection", "shutdown: closed Redis client", "shutdown: closed connection pool",
                    "shutdown: closed embedded Redis", "shutdown: closed embedded PostgreSQL", "shutdown: closed management server",
                    "shutdown: closed opskit engine")).extracting(s -> indexOf(lines, s)).isSorted().allMatch(i -> i > requestDone);
        } finally {
            app.close();
            timer.shutdownNow();
            root.detachAppender(logs);
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        throw new AssertionError("no log line contains '" + text + "' in:\n" + String.join("\n", lines));
    }

    private static int status(HttpClient http, String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }
}
