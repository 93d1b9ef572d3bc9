package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opskit.core.Ops;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Anonymous {@code GET /actuator/health} replays Actuator's own last answer while opskit's snapshot
 * and Boot's availability states are unchanged: the same status, content type and bytes Actuator
 * writes itself; a new result or a readiness change is answered at once.
 */
class HealthAnswerCacheTest {

    static final AtomicReference<TestHealth> INVENTORY = new AtomicReference<>(TestHealth.up().withDetail("items", 42));
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static ConfigurableApplicationContext app;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        TestIndicator inventoryHealthIndicator() {
            return INVENTORY::get;
        }

        @Bean
        TestIndicator pricesHealthIndicator() {
            return () -> TestHealth.up().withDetail("currency", "EUR");
        }
    }

    @BeforeAll
    static void start() {
        // nothing but the two indicators changes the snapshot: its version then only moves when the test says so
        app = TestApps.start(new Class<?>[] {App.class},
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS,
                "opskit.system.enabled=false", "opskit.maintenance.enabled=false", "opskit.actuator.interval=1h",
                "management.health.diskspace.enabled=false", "management.health.ssl.enabled=false",
                "management.endpoint.health.probes.enabled=true");
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/actuator/health", null).statusCode() == 200);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void anAnonymousProbeGetsActuatorsOwnBytesWithoutActuatorBuildingThemAgain() {
        HealthAnswerCache cache = cache();
        Ops ops = app.getBean(Ops.class);
        // a new opskit result (the first ones arrive just after the start) rightly makes a miss: the replay is
        // looked for in a moment when the snapshot stays the same
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            long version = ops.health().version();
            HttpResponse<byte[]> first = get("/actuator/health", null);
            long hits = cache.hits();
            HttpResponse<byte[]> replayed = get("/actuator/health", null);
            // the same request with credentials is never replayed: Actuator builds it
            long misses = cache.misses();
            HttpResponse<byte[]> built = get("/actuator/health", "Basic dXNlcjpwYXNz");
            assertThat(ops.health().version()).as("nothing changed meanwhile").isEqualTo(version);
            assertThat(cache.hits()).as("a replay").isEqualTo(hits + 1);
            assertThat(cache.misses()).isEqualTo(misses);
            for (HttpResponse<byte[]> r : java.util.List.of(first, replayed)) {
                assertThat(r.statusCode()).isEqualTo(built.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).isEqualTo(built.headers().firstValue("Content-Type"));
                assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo(new String(built.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"items\":42");
            }
        });
    }

    @Test
    void aFloodOfDistinctAcceptHeadersNeverLocksProbesOutOfTheReplay() throws Exception {
        HealthAnswerCache cache = cache();
        for (int i = 0; i < 3 * HealthAnswerCache.MAX_ANSWERS; i++) {
            HttpResponse<byte[]> r = send("/actuator/health", "Accept", "application/json, application/x-flood-" + i);
            assertThat(r.statusCode()).isEqualTo(200);
        }
        Ops ops = app.getBean(Ops.class);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            long version = ops.health().version();
            get("/actuator/health", null);
            long hits = cache.hits();
            assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
            // a query string is never replayed (Actuator builds it)
            long misses = cache.misses();
            assertThat(send("/actuator/health?x=1").statusCode()).isEqualTo(200);
            assertThat(ops.health().version()).as("nothing changed meanwhile").isEqualTo(version);
            assertThat(cache.hits()).as("the probe is replayed again").isEqualTo(hits + 1);
            assertThat(cache.misses()).isEqualTo(misses);
        });
    }

    @Test
    void aNewResultIsAnsweredAtOnce() throws Exception {
        Ops ops = app.getBean(Ops.class);
        get("/actuator/health/inventory", null);
        assertThat(get("/actuator/health/inventory", null).statusCode()).isEqualTo(200);
        INVENTORY.set(TestHealth.down().withDetail("items", 0));
        try {
            // hysteresis: DOWN after as many failed runs as the threshold; every run publishes a new snapshot
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ops.refresh("inventory:health").get(5, TimeUnit.SECONDS);
                HttpResponse<byte[]> r = get("/actuator/health/inventory", null);
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("DOWN");
            });
        } finally {
            INVENTORY.set(TestHealth.up().withDetail("items", 42));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ops.refresh("inventory:health").get(5, TimeUnit.SECONDS);
                assertThat(get("/actuator/health/inventory", null).statusCode()).isEqualTo(200);
            });
        }
    }

    @Test
    void aReadinessChangeIsAnsweredAtOnce() throws Exception {
        get("/actuator/health/readiness", null);
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        AvailabilityChangeEvent.publish(app, ReadinessState.REFUSING_TRAFFIC);
        try {
            assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(503);
        } finally {
            AvailabilityChangeEvent.publish(app, ReadinessState.ACCEPTING_TRAFFIC);
        }
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    }

    @SuppressWarnings("unchecked")
    private static HealthAnswerCache cache() {
        return ((FilterRegistrationBean<HealthAnswerCache>) app.getBean("opsHealthAnswerCache", FilterRegistrationBean.class))
                .getFilter();
    }

    private static HttpResponse<byte[]> send(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + TestApps.port(app) + path))
                .timeout(Duration.ofSeconds(5));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> get(String path, String authorization) throws Exception {
        return authorization == null ? send(path) : send(path, "Authorization", authorization);
    }
}
