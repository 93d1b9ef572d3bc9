package io.opskit.core.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Severity;
import io.opskit.core.Status;
import io.opskit.core.StatusChangeEvent;
import java.util.Optional;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WebhookSinkTest {

    private static final String SECRET = "a-webhook-secret-of-32-characters";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Ops opsWith(AtomicReference<Status> status) {
        return Ops.builder().serviceId("orders")
                .check(CheckRegistration.builder("payments:http", () -> Result.of(status.get(), status.get() == Status.FAIL
                                ? "GET https://user:hunter2@payments.example.com/ failed" : ""))
                        .critical(false).severity(Severity.P2).interval(Duration.ofHours(1)).build())
                .build();
    }

    private static List<WebhookReceiver.Received> of(WebhookReceiver receiver, String subject) {
        List<WebhookReceiver.Received> out = new ArrayList<>();
        for (WebhookReceiver.Received r : receiver.received) {
            try {
                if (subject.equals(JSON.readTree(r.body()).get("subject").asText())) {
                    out.add(r);
                }
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    @Test
    void statusChangesArriveAsSignedCloudEvents() throws Exception {
        AtomicReference<Status> status = new AtomicReference<>(Status.PASS);
        try (WebhookReceiver receiver = new WebhookReceiver(); Ops ops = opsWith(status);
             WebhookSink sink = WebhookSink.builder(receiver.uri()).secret(SECRET).service("orders").instance("pod-1").build()) {
            io.opskit.core.Attachment attachment = ops.attach(sink);
            assertThat(attachment.meters()).extracting(m -> m.getName()).contains("opskit.notify.dropped");
            ops.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> of(receiver, "payments:http").size() >= 1);   // pending -> pass

            for (int i = 0; i < 60; i++) {     // how fast is measured in benchmarks/, not asserted here
                int before = of(receiver, "payments:http").size();
                status.set(i % 2 == 0 ? Status.FAIL : Status.PASS);
                ops.refresh("payments:http").get(5, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(30)).until(() -> of(receiver, "payments:http").size() > before);
            }

            WebhookReceiver.Received fail = of(receiver, "payments:http").get(1);
            assertThat(WebhookSignature.verify(SECRET.getBytes(StandardCharsets.UTF_8), fail.signature(), fail.body(),
                    Instant.now(), Duration.ofMinutes(5))).isTrue();
            assertThat(WebhookSignature.verify("another-secret-of-enough-length".getBytes(StandardCharsets.UTF_8),
                    fail.signature(), fail.body(), Instant.now(), Duration.ofMinutes(5))).isFalse();
            assertThat(fail.contentType()).startsWith("application/cloudevents+json");
            JsonNode event = JSON.readTree(fail.body());
            assertThat(event.get("specversion").asText()).isEqualTo("1.0");
            assertThat(event.get("type").asText()).isEqualTo("io.opskit.check.status.changed");
            assertThat(event.get("source").asText()).isEqualTo("urn:opskit:orders:pod-1");
            assertThat(event.get("subject").asText()).isEqualTo("payments:http");
            assertThat(event.get("id").asText()).isNotBlank();
            JsonNode data = event.get("data");
            assertThat(data.get("from").asText()).isEqualTo("pass");
            assertThat(data.get("to").asText()).isEqualTo("fail");
            assertThat(data.get("severity").asText()).isEqualTo("P2");
            assertThat(data.get("routing").asText()).isEqualTo("ticket");
            assertThat(data.get("output").asText()).contains("payments.example.com").doesNotContain("hunter2");
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.delivered() >= 61);   // counted once answered
            assertThat(sink.dropped()).isZero();
        }
    }

    @Test
    void aDeliveryAnswered500IsRetriedWithBackoffUntilItIsTaken() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver();
             WebhookSink sink = WebhookSink.builder(receiver.uri()).secret(SECRET).initialBackoff(Duration.ofMillis(50)).build()) {
            receiver.script.add(500);
            receiver.script.add(503);
            assertThat(sink.offer(new StatusChangeEvent("payments:http", Optional.of(Status.PASS), Status.FAIL, "down",
                    Instant.now(), Severity.P1))).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.delivered() == 1);
            assertThat(receiver.received).hasSize(3);
            assertThat(sink.retries()).isEqualTo(2);
            String id = JSON.readTree(receiver.received.get(0).body()).get("id").asText();
            assertThat(receiver.received).allSatisfy(r -> assertThat(JSON.readTree(r.body()).get("id").asText()).isEqualTo(id));
            assertThat(receiver.received).allSatisfy(r -> assertThat(WebhookSignature.verify(SECRET.getBytes(StandardCharsets.UTF_8),
                    r.signature(), r.body(), Instant.now(), Duration.ofMinutes(5))).isTrue());
            // backoff: 50 ms, then 100 ms
            assertThat(receiver.received.get(2).nanos() - receiver.received.get(0).nanos())
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        }
    }

    @Test
    void aReceiverThatHangsNeverSlowsHealthAndAFullQueueDropsAndCounts() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        AtomicReference<Status> status = new AtomicReference<>(Status.PASS);
        try (ServerSocket hang = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             Ops ops = Ops.builder()
                     .check(CheckRegistration.builder("db:connection", () -> {
                         runs.incrementAndGet();
                         return Result.pass();
                     }).interval(Duration.ofMillis(100)).build())
                     .check(CheckRegistration.builder("flappy:check", () -> Result.of(status.get(), "flap"))
                             .critical(false).interval(Duration.ofHours(1)).build())
                     .build();
             WebhookSink sink = WebhookSink.builder(URI.create("http://127.0.0.1:" + hang.getLocalPort() + "/hook"))
                     .secret(SECRET).queueSize(4).timeout(Duration.ofSeconds(2)).maxAttempts(2).build()) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(hang.accept());   // accept, never read, never answer
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            sink.subscribe(ops.events());
            ops.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> ops.health(Probe.READINESS).status() != Status.FAIL
                    && ops.check("flappy:check").isPresent());

            long t0 = System.nanoTime();
            for (int i = 0; i < 30; i++) {
                status.set(i % 2 == 0 ? Status.FAIL : Status.PASS);
                ops.refresh("flappy:check").get(2, TimeUnit.SECONDS);    // each change is published at once
                assertThat(ops.health(Probe.READINESS).status()).isNotEqualTo(Status.FAIL);
            }
            long flipMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            int runsBefore = runs.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.dropped() > 0);
            await().atMost(Duration.ofSeconds(3)).until(() -> runs.get() >= runsBefore + 10);   // checks keep running

            assertThat(flipMillis).isLessThan(3000);
            assertThat(sink.delivered()).isZero();
            assertThat(sink.dropped()).isGreaterThanOrEqualTo(30 - 4 - 2);
            assertThat(ops.health(Probe.READINESS).status()).isNotEqualTo(Status.FAIL);
        } finally {
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void theBuilderRejectsBadValuesNamingTheFix() {
        URI uri = URI.create("http://127.0.0.1:1/hook");
        assertThatThrownBy(() -> WebhookSink.builder(uri).build()).hasMessageContaining("secret must be set");
        assertThatThrownBy(() -> WebhookSink.builder(uri).secret("short")).hasMessageContaining("at least 16 characters");
        assertThatThrownBy(() -> WebhookSink.builder(URI.create("ftp://x/"))).hasMessageContaining("absolute http(s) URL");
        assertThatThrownBy(() -> WebhookSink.builder(uri).queueSize(0)).hasMessageContaining("queueSize must be at least 1, but was 0");
    }
}
