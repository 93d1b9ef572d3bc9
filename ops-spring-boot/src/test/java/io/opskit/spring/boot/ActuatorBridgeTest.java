package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Composites, per-check settings, hysteresis and run-time registration through Boot's own registry API. */
class ActuatorBridgeTest {

    private static final AtomicBoolean FLAKY_UP = new AtomicBoolean(true);
    private static ConfigurableApplicationContext app;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(BootLine.Pools.class)
    static class App {
        @Bean
        TestIndicator flakyHealthIndicator() {
            return () -> FLAKY_UP.get() ? TestHealth.up() : TestHealth.down().withDetail("error", "boom");
        }
    }

    @BeforeAll
    static void start() {
        app = TestApps.start(new Class<?>[] {App.class},
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS,
                "opskit.checks.flaky.failure-threshold=2", "opskit.checks.flaky.interval=1h",
                "opskit.checks.[pools/primary].timeout=750ms", "opskit.checks.[disk/space].interval=42s",
                "opskit.checks.[disk/space].critical=false");
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void compositesKeepTheirShapeAndTheirLeavesBecomeComponentColonMeasurementChecks() {
        Ops ops = app.getBean(Ops.class);
        assertThat(ops.registrations()).extracting(CheckRegistration::name).contains("pools:primary", "pools:secondary");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode primary = TestApps.json(TestApps.get(app, "/actuator/health/pools/primary", Duration.ofSeconds(2)));
            assertThat(primary.path("status").asText()).isEqualTo("UP");
            assertThat(primary.path("details").path("role").asText()).isEqualTo("primary");
            JsonNode pools = TestApps.json(TestApps.get(app, "/actuator/health/pools", Duration.ofSeconds(2)));
            assertThat(pools.path("status").asText()).isEqualTo("OUT_OF_SERVICE");
            assertThat(pools.path("components").path("secondary").path("status").asText()).isEqualTo("OUT_OF_SERVICE");
        });
    }

    @Test
    void perCheckSettingsComeFromOpskitChecksProperties() {
        Ops ops = app.getBean(Ops.class);
        CheckRegistration primary = ops.registrations().stream().filter(r -> r.name().equals("pools:primary")).findFirst().orElseThrow();
        assertThat(primary.timeout()).isEqualTo(Duration.ofMillis(750));
        CheckRegistration flaky = ops.registrations().stream().filter(r -> r.name().equals("flaky:health")).findFirst().orElseThrow();
        assertThat(flaky.failureThreshold()).isEqualTo(2);
        assertThat(flaky.interval()).isEqualTo(Duration.ofHours(1));
        CheckRegistration disk = ops.registrations().stream().filter(r -> r.name().equals("disk:space")).findFirst().orElseThrow();
        assertThat(disk.interval()).as("opskit's own checks take them too").isEqualTo(Duration.ofSeconds(42));
        assertThat(disk.critical()).isFalse();
    }

    @Test
    void hysteresisHoldsTheLastStatusUntilEnoughFailuresInARow() throws Exception {
        Ops ops = app.getBean(Ops.class);
        ops.refresh("flaky:health").get();
        assertThat(status("/actuator/health/flaky")).isEqualTo("UP");
        FLAKY_UP.set(false);
        try {
            ops.refresh("flaky:health").get();
            JsonNode held = TestApps.json(TestApps.get(app, "/actuator/health/flaky", Duration.ofSeconds(2)));
            assertThat(held.path("status").asText()).as("one failure of two").isEqualTo("UP");
            assertThat(held.path("details").path("output").asText()).isEqualTo("failing 1 of 2 before reporting fail: boom");
            ops.refresh("flaky:health").get();
            JsonNode down = TestApps.json(TestApps.get(app, "/actuator/health/flaky", Duration.ofSeconds(2)));
            assertThat(down.path("status").asText()).isEqualTo("DOWN");
            assertThat(down.path("details").path("error").asText()).isEqualTo("boom");
        } finally {
            FLAKY_UP.set(true);
            ops.refresh("flaky:health").get();
        }
    }

    @Test
    void contributorsRegisteredAtRunTimeMoveIntoOpskitAndLeaveIt() {
        Ops ops = app.getBean(Ops.class);
        BootLine.register(app, "late", () -> TestHealth.up().withDetail("late", true));
        assertThat(ops.check("late:health")).isPresent();
        await().atMost(Duration.ofSeconds(5)).until(() -> status("/actuator/health/late").equals("UP"));
        BootLine.unregister(app, "late");
        assertThat(ops.check("late:health")).isEmpty();
        assertThat(TestApps.get(app, "/actuator/health/late", Duration.ofSeconds(2)).statusCode()).isEqualTo(404);
    }

    @Test
    void opskitsOwnChecksAreTheOpskitComponent() {
        await().atMost(Duration.ofSeconds(5)).until(() -> status("/actuator/health/opskit/disk:space").equals("UP"));
        JsonNode opskit = TestApps.json(TestApps.get(app, "/actuator/health/opskit", Duration.ofSeconds(2)));
        assertThat(opskit.path("components").has("lifecycle:state")).isTrue();
        assertThat(opskit.path("components").has("flaky:health")).as("Boot's own indicators are not repeated").isFalse();
    }

    private static String status(String path) {
        return TestApps.json(TestApps.get(app, path, Duration.ofSeconds(2))).path("status").asText();
    }
}
