package io.opskit.benchmarks.detection;

import com.sun.net.httpserver.HttpServer;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.opskit.core.notify.WebhookSink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue #16: how long from a check's changed result to the webhook delivered, on loopback. A check
 * flips PASS/FAIL {@code ROUNDS} times (default 200); each time the time from the check returning
 * its new status to the receiver reading the request is taken. Includes the engine's publication
 * (10 ms spacing), the listener lane and the HTTP POST.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.opskit.benchmarks.detection.WebhookLatency</pre>
 */
public final class WebhookLatency {

    private WebhookLatency() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 200);
        LinkedBlockingQueue<Long> arrivals = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        receiver.createContext("/hook", ex -> {
            long now = System.nanoTime();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
            arrivals.add(now);
        });
        receiver.start();
        AtomicReference<Status> next = new AtomicReference<>(Status.PASS);
        AtomicReference<Long> returnedAt = new AtomicReference<>(0L);
        Ops ops = Ops.builder().check(CheckRegistration.builder("bench:flip", () -> {
            Status s = next.get();
            returnedAt.set(System.nanoTime());
            return Result.of(s, "");
        }).interval(Duration.ofHours(1)).build()).build().start();
        URI uri = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
        List<Double> ms = new ArrayList<>();
        try (WebhookSink sink = WebhookSink.builder(uri).secret("benchmark-secret-0123456789").service("bench").build()) {
            ops.attach(sink);
            ops.refresh("bench:flip").get(5, TimeUnit.SECONDS);
            arrivals.poll(10, TimeUnit.SECONDS);                   // pending -> pass
            for (int i = 0; i < rounds; i++) {
                next.set(i % 2 == 0 ? Status.FAIL : Status.PASS);
                ops.refresh("bench:flip").get(5, TimeUnit.SECONDS);
                Long at = arrivals.poll(10, TimeUnit.SECONDS);
                if (at == null) {
                    throw new IllegalStateException("no delivery within 10 s");
                }
                ms.add((at - returnedAt.get()) / 1e6);
            }
        } finally {
            ops.close();
            receiver.stop(0);
        }
        Collections.sort(ms);
        System.out.printf(Locale.ROOT, "| status change → webhook delivered (%d changes, loopback) | p50 %.1f ms | p99 %.1f ms | max %.1f ms |%n",
                ms.size(), ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.99) - 1), ms.get(ms.size() - 1));
    }
}
