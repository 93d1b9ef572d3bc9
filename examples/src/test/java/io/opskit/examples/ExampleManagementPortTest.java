package io.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/** Probes do not share the API's threads: with every one of them held, liveness on the management port answers. */
class ExampleManagementPortTest {

    /** The probe's timeout in the README's Kubernetes YAML. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    @Test
    void livenessOnTheManagementPortAnswersWhileEveryApplicationThreadIsBusy() throws Exception {
        try (ExampleApp app = ExampleApp.start(ExampleConfig.from(Map.of("PORT", "0", "OPS_MANAGEMENT_PORT", "0",
                "OPS_HTTP_THREADS", "8", "OPS_REDIS_URL", "none", "OPS_SHUTDOWN_TIMEOUT", "0s")))) {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).until(() -> http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.managementPort() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            QueuedThreadPool pool = app.httpThreads();
            List<CompletableFuture<HttpResponse<Void>>> slow = new ArrayList<>();
            for (int i = 0; i < 2 * pool.getMaxThreads(); i++) {
                slow.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/api/slow?ms=6000"))
                        .build(), HttpResponse.BodyHandlers.discarding()));
            }
            // every API thread is taken and requests queue behind them
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.getIdleThreads() == 0 && pool.getQueueSize() > 0);

            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.managementPort()
                    + "/health/live")).timeout(PROBE_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(live.statusCode()).isEqualTo(200);
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.managementPort()
                    + "/health/ready")).timeout(PROBE_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            // the same probe on the API's port waits behind the busy threads: what a probe on PORT would see
            assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/health/live"))
                    .timeout(PROBE_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding()))
                    .isInstanceOf(HttpTimeoutException.class);
            slow.forEach(f -> f.cancel(true));
        }
    }
}
