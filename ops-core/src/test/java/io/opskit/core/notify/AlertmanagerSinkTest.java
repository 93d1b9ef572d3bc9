package io.opskit.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Result;
import io.opskit.core.Severity;
import io.opskit.core.Status;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real Alertmanager (Debian's prometheus-alertmanager), started on a free loopback port. */
class AlertmanagerSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Process alertmanager;
    private static URI base;
    private static Path dir;

    @BeforeAll
    static void startAlertmanager() throws Exception {
        String binary = Stream.of(System.getenv("OPSKIT_ALERTMANAGER_BIN"), "prometheus-alertmanager", "alertmanager")
                .filter(b -> b != null && onPath(b)).findFirst().orElse(null);
        if (binary == null) {
            fail("no Alertmanager binary: install Debian's prometheus-alertmanager (apt-get install -y prometheus-alertmanager; "
                    + ".ci/run installs it) or set OPSKIT_ALERTMANAGER_BIN");
        }
        dir = Files.createTempDirectory("opskit-alertmanager");
        Path config = dir.resolve("alertmanager.yml");
        Files.writeString(config, "route:\n  receiver: blackhole\n  group_wait: 1s\nreceivers:\n  - name: blackhole\n");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        alertmanager = new ProcessBuilder(binary, "--config.file=" + config, "--storage.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        base = URI.create("http://127.0.0.1:" + port);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> HTTP.send(
                HttpRequest.newBuilder(base.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    private static boolean onPath(String name) {
        if (name.contains("/")) {
            return new File(name).canExecute();
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(d, name).canExecute()) {
                return true;
            }
        }
        return false;
    }

    @AfterAll
    static void stopAlertmanager() throws Exception {
        if (alertmanager != null) {
            alertmanager.destroy();
            alertmanager.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static JsonNode alertsOf(String check) throws IOException, InterruptedException {
        String body = HTTP.send(HttpRequest.newBuilder(base.resolve("/api/v2/alerts")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode a : JSON.readTree(body)) {
            if (check.equals(a.path("labels").path("check").asText())) {
                return a;
            }
        }
        return null;
    }

    @Test
    void aFailingCheckIsListedByAlertmanagerAndResolvedAfterItRecovers() throws Exception {
        AtomicReference<Status> status = new AtomicReference<>(Status.PASS);
        try (Ops ops = Ops.builder().serviceId("orders")
                .check(CheckRegistration.builder("payments:http", () -> Result.of(status.get(),
                                "GET https://svc:s3cret@payments.example.com/ failed: connection refused"))
                        .critical(false).severity(Severity.P2).interval(Duration.ofHours(1)).build())
                .build();
             AlertmanagerSink sink = AlertmanagerSink.builder(base).service("orders").instance("pod-1")
                     .resendInterval(Duration.ofSeconds(1)).build()) {
            ops.attach(sink);
            ops.start();
            ops.refresh("payments:http").get(5, TimeUnit.SECONDS);
            assertThat(alertsOf("payments:http")).isNull();

            status.set(Status.FAIL);
            ops.refresh("payments:http").get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> alertsOf("payments:http") != null);
            JsonNode alert = alertsOf("payments:http");
            JsonNode labels = alert.get("labels");
            assertThat(labels.get("alertname").asText()).isEqualTo("OpskitCheckFailing");
            assertThat(labels.get("service").asText()).isEqualTo("orders");
            assertThat(labels.get("instance").asText()).isEqualTo("pod-1");
            assertThat(labels.get("severity").asText()).isEqualTo("P2");
            assertThat(labels.get("routing").asText()).isEqualTo("ticket");
            assertThat(alert.path("status").path("state").asText()).isEqualTo("active");
            assertThat(alert.get("annotations").get("description").asText()).contains("connection refused").doesNotContain("s3cret");
            assertThat(alert.get("annotations").get("runbook_url").asText()).endsWith("#opskitcheckfailing");

            // re-posted while it fires: endsAt keeps moving ahead
            String endsAt = alert.get("endsAt").asText();
            await().atMost(Duration.ofSeconds(10)).until(() -> !alertsOf("payments:http").get("endsAt").asText().equals(endsAt));

            status.set(Status.PASS);
            ops.refresh("payments:http").get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> alertsOf("payments:http") == null);
            assertThat(sink.failedPosts()).isZero();
        }
    }

    @Test
    void postsToAnAlertmanagerThatIsDownAreCountedAndRetriedWithoutBlockingTheCaller() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (AlertmanagerSink sink = AlertmanagerSink.builder(URI.create("http://127.0.0.1:" + port))
                .resendInterval(Duration.ofMillis(200)).build()) {
            long t0 = System.nanoTime();
            sink.accept(new io.opskit.core.StatusChangeEvent("db:connection", java.util.Optional.empty(), Status.FAIL, "down",
                    java.time.Instant.now(), Severity.P1));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(100);
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.failedPosts() >= 2);
            assertThat(sink.posted()).isZero();
        }
    }
}
