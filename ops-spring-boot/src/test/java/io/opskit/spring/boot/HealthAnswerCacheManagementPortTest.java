package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opskit.core.Ops;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator on a management port of its own ({@code management.server.port}): the answer replay is
 * registered in Actuator's child context and replays the probes that reach that port.
 */
class HealthAnswerCacheManagementPortTest {

    private static final AtomicReference<ApplicationContext> MANAGEMENT = new AtomicReference<>();

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        TestIndicator inventoryHealthIndicator() {
            return () -> TestHealth.up().withDetail("items", 42);
        }

        /** Events of the management context reach its parent's listeners too. */
        @Bean
        ApplicationListener<ApplicationEvent> managementContextCatcher() {
            return event -> BootLine.managementContext(event).ifPresent(MANAGEMENT::set);
        }
    }

    @Test
    void probesOnTheManagementPortAreReplayedThere() {
        try (ConfigurableApplicationContext app = TestApps.start(new Class<?>[] {App.class},
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS,
                "management.server.port=0", "opskit.system.enabled=false", "opskit.maintenance.enabled=false",
                "opskit.actuator.interval=1h", "management.health.diskspace.enabled=false",
                "management.health.ssl.enabled=false")) {
            int port = TestApps.managementPort(app);
            assertThat(port).isPositive().isNotEqualTo(TestApps.port(app));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> TestApps.get(port, "/actuator/health", Duration.ofSeconds(5)).statusCode() == 200);
            await().atMost(Duration.ofSeconds(5)).until(() -> MANAGEMENT.get() != null);
            HealthAnswerCache cache = cache(MANAGEMENT.get());
            Ops ops = app.getBean(Ops.class);
            // opskit's first results still arrive just after the start: a new result rightly makes a miss, so
            // look for the replay in a moment when the snapshot stays the same over two requests
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                long version = ops.health().version();
                TestApps.get(port, "/actuator/health", Duration.ofSeconds(5));
                long hits = cache.hits();
                String replayed = TestApps.get(port, "/actuator/health", Duration.ofSeconds(5)).body();
                assertThat(ops.health().version()).as("nothing changed meanwhile").isEqualTo(version);
                assertThat(cache.hits()).as("a replay on the management port").isEqualTo(hits + 1);
                assertThat(replayed).contains("\"items\":42");
            });
            assertThat(TestApps.get(app, "/actuator/health", Duration.ofSeconds(5)).statusCode())
                    .as("the application's port serves no Actuator").isEqualTo(404);
        } finally {
            MANAGEMENT.set(null);
        }
    }

    @SuppressWarnings("unchecked")
    private static HealthAnswerCache cache(ApplicationContext management) {
        return ((FilterRegistrationBean<HealthAnswerCache>) management.getBean("opsHealthAnswerCache",
                FilterRegistrationBean.class)).getFilter();
    }
}
