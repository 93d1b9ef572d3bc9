package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.opskit.core.Ops;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/** Each part switches off on its own, and Boot's own behaviour comes back. */
class SwitchesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }

    private static final String EXCLUDE = "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS;

    @Test
    void withTheActuatorPartOffBootsOwnRegistryAnswers() {
        try (ConfigurableApplicationContext app = TestApps.start(new Class<?>[] {App.class}, EXCLUDE,
                "opskit.actuator.enabled=false")) {
            assertThat(BootLine.registryIsOpskits(app)).isFalse();
            assertThat(app.getBean(Ops.class).check("diskSpace:health")).isEmpty();
            assertThat(TestApps.get(app, "/actuator/health", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withOpskitOffNothingOfItIsInTheContext() {
        try (ConfigurableApplicationContext app = TestApps.start(new Class<?>[] {App.class}, EXCLUDE, "opskit.enabled=false")) {
            assertThat(app.getBeansOfType(Ops.class)).isEmpty();
            assertThat(app.containsBean("opsMaintenanceFilter")).isFalse();
            assertThat(TestApps.get(app, "/actuator/health", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void maintenanceModeAnswers503ButLetsActuatorThrough() {
        try (ConfigurableApplicationContext app = TestApps.start(new Class<?>[] {App.class}, EXCLUDE)) {
            io.opskit.core.maintenance.MaintenanceMode mode = app.getBean(io.opskit.core.maintenance.MaintenanceMode.class);
            mode.enable("db upgrade", Duration.ofMinutes(10));
            var page = TestApps.get(app, "/anything", Duration.ofSeconds(5));
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.headers().firstValue("Retry-After")).isPresent();
            assertThat(page.headers().firstValue("X-Correlation-ID")).isPresent();
            assertThat(TestApps.get(app, "/actuator/health", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
            mode.disable();
            assertThat(TestApps.get(app, "/anything", Duration.ofSeconds(5)).statusCode()).isEqualTo(404);
        }
    }
}
