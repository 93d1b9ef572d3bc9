package io.opskit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.breaker.BreakerDefaults;
import io.opskit.core.breaker.BreakerHealth;
import io.opskit.core.breaker.Breakers;
import io.opskit.core.endpoint.ShowDetails;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The wiring the README shows, end to end: a dependency, its check, its breaker, the management port. */
class ReadmeWiringTest {

    @Test
    void aDependencyItsBreakerAndItsMetricsShowOnTheManagementPort() throws Exception {
        HttpServer dependency = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        dependency.createContext("/health", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        dependency.start();
        String target = "http://127.0.0.1:" + dependency.getAddress().getPort();

        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CircuitBreakerRegistry breakerRegistry = BreakerDefaults.registry();
        try (Ops ops = Ops.builder().serviceId("orders").meterRegistry(prometheus).threads(2)
                .check(CheckRegistration.builder("payments:http", HttpEndpointCheck.builder(target + "/health")
                        .method(HttpEndpointCheck.Method.HEAD).requestTimeout(Duration.ofSeconds(1)).build())
                        .componentType("http").build())
                .build().start();
             OpsHttpServer server = OpsHttpServer.builder(ops).address(InetAddress.getLoopbackAddress()).port(0)
                     .showDetails(ShowDetails.ALWAYS).build().start();
             OpsHttpClient http = OpsHttpClient.builder(HttpClient.newHttpClient())
                     .breakers(Breakers.of(breakerRegistry)).meterRegistry(ops.meterRegistry()).build()) {
            ops.attach(BreakerHealth.builder(breakerRegistry).build());
            ops.markReady();

            assertThat(http.send(HttpRequest.newBuilder(URI.create(target + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

            String breakerCheck = BreakerHealth.checkName(http.breakerNameOf(HttpRequest.newBuilder(URI.create(target)).build()));
            HttpClient curl = HttpClient.newHttpClient();
            URI health = URI.create("http://127.0.0.1:" + server.port() + "/health/ready");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                HttpResponse<String> r = curl.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"payments:http\"").contains("\"" + breakerCheck + "\"").contains("\"observedUnit\":\"ms\"");
            });
            String metrics = curl.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("http_client_requests_seconds_count{").contains("resilience4j_circuitbreaker_state{")
                    .contains("opskit_health_status{");
        } finally {
            dependency.stop(0);
        }
    }
}
