package io.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Starts the example as its own process, sends it SIGTERM, and watches it drain: readiness FAIL first, then exit. */
class GracefulDrainTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private static int status(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void sigtermFailsReadinessWhileStillServingThenStops() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ExampleApp.class.getName());
        pb.environment().put("PORT", Integer.toString(port));
        pb.environment().put("OPS_REDIS_URL", "none");
        pb.environment().put("OPS_DRAIN", "3s");
        int management;
        try (ServerSocket s = new ServerSocket(0)) {
            management = s.getLocalPort();
        }
        pb.environment().put("OPS_MANAGEMENT_PORT", Integer.toString(management));
        pb.redirectErrorStream(true);
        Process process = pb.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> status(port, "/health/ready") == 200);

            // SIGTERM through the handle: Process.destroy() would also close our end of its stdout
            assertThat(process.toHandle().destroy()).isTrue();
            assertThat(output).anyMatch(l -> l.contains("listening on http://localhost:" + port + " ")
                    && l.contains("management on http://localhost:" + management + " "));
            await().atMost(Duration.ofSeconds(3)).until(() -> status(management, "/health/ready") == 503);
            assertThat(status(port, "/health/ready")).isEqualTo(503);
            assertThat(status(port, "/api/ping")).isEqualTo(200);
            assertThat(status(port, "/api/items")).isEqualTo(200);    // PostgreSQL serves to the end of the drain
            assertThat(status(port, "/health/live")).isEqualTo(200);

            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            reader.join(5000);          // the rest of its output
            assertThat(output).as(() -> "process output:\n" + String.join("\n", output)).anyMatch(l -> l.contains("draining for 3000 ms"));
            assertThat(status(port, "/api/ping")).isEqualTo(-1);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aBusyPortStopsStartUpWithOneLineAndStatus2() throws Exception {
        try (ServerSocket busy = new ServerSocket(0)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ExampleApp.class.getName());
            pb.environment().put("PORT", Integer.toString(busy.getLocalPort()));
            pb.environment().put("OPS_MANAGEMENT_PORT", "0");
            pb.redirectErrorStream(true);
            Process process = pb.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(2);
            assertThat(out).isEqualTo("opskit-example: PORT " + busy.getLocalPort() + " cannot be bound (Address already in use): "
                    + "stop what holds it or choose another port (0 picks a free one)");
        }
    }

    @Test
    void aBadVariableStopsStartUpWithOneLine() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ExampleApp.class.getName());
        pb.environment().put("OPS_REAPER_IDLE", "soon");
        pb.redirectErrorStream(true);
        Process process = pb.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(out).isEqualTo("opskit-example: OPS_REAPER_IDLE must be a positive duration like 500ms, 30s, 5m, 2h or ISO-8601 (PT5M), but was 'soon'");
    }
}
