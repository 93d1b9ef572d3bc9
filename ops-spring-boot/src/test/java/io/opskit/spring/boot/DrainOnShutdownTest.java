package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opskit.core.Lifecycle;
import io.opskit.core.Ops;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** On shutdown opskit drains first (readiness 503, still serving), then Boot's graceful shutdown lets in-flight requests finish. */
class DrainOnShutdownTest {

    @RestController
    static class SlowController {
        static final CountDownLatch ENTERED = new CountDownLatch(1);

        @GetMapping("/slow")
        String slow(@RequestParam("ms") long ms) throws InterruptedException {
            ENTERED.countDown();
            Thread.sleep(ms);
            return "done";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(SlowController.class)
    static class App {
    }

    @Test
    void readinessIsRefusedWhileTheServerStillServesAndInFlightRequestsFinish() throws Exception {
        ConfigurableApplicationContext app = TestApps.start(new Class<?>[] {App.class},
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS,
                "management.endpoint.health.probes.enabled=true", "server.shutdown=graceful",
                "opskit.lifecycle.drain=1500ms");
        int port = TestApps.port(app);
        Ops ops = app.getBean(Ops.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> ops.lifecycle() == Lifecycle.READY);
        assertThat(TestApps.get(port, "/actuator/health/readiness", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> inFlight =
                CompletableFuture.supplyAsync(() -> TestApps.get(port, "/slow?ms=2500", Duration.ofSeconds(15)));
        assertThat(SlowController.ENTERED.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(app::close);

        // opskit's drain: readiness 503 while new requests are still served (graceful shutdown has not begun)
        await().atMost(Duration.ofSeconds(1)).until(() -> ops.lifecycle() == Lifecycle.DRAINING);
        HttpResponse<String> readiness = TestApps.get(port, "/actuator/health/readiness", Duration.ofSeconds(2));
        assertThat(readiness.statusCode()).isEqualTo(503);
        assertThat(TestApps.get(port, "/slow?ms=1", Duration.ofSeconds(2)).statusCode()).isEqualTo(200);

        HttpResponse<String> finished = inFlight.get(15, TimeUnit.SECONDS);
        assertThat(finished.statusCode()).isEqualTo(200);
        assertThat(finished.body()).isEqualTo("done");
        closing.get(20, TimeUnit.SECONDS);
        assertThat(ops.lifecycle()).isEqualTo(Lifecycle.STOPPED);
    }
}
