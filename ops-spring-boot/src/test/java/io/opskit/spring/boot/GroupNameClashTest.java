package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opskit.core.Ops;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * opskit's registry keeps Boot's rule: a health contributor may not have the name of a health group
 * ({@code /actuator/health/<name>} would mean both), at start as at run time.
 */
class GroupNameClashTest {

    private static final String EXCLUDE = "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE + "," + TestApps.NO_REDIS;

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
        @Bean
        TestIndicator inventoryHealthIndicator() {
            return TestHealth::up;
        }
    }

    @Test
    void aContributorNamedLikeAGroupStopsTheStart() {
        assertThatThrownBy(() -> TestApps.start(new Class<?>[] {App.class}, EXCLUDE,
                "management.endpoint.health.group.inventory.include=diskSpace").close())
                .hasStackTraceContaining("clashes with")
                .hasStackTraceContaining("inventory");
    }

    @Test
    void aContributorRegisteredAtRunTimeUnderAGroupsNameIsRefusedAndLeavesNoCheck() {
        try (ConfigurableApplicationContext app = TestApps.start(new Class<?>[] {App.class}, EXCLUDE,
                "management.endpoint.health.group.pricing.include=inventory")) {
            assertThatThrownBy(() -> BootLine.register(app, "pricing", TestHealth::up))
                    .hasMessageContaining("clashes with");
            assertThat(app.getBean(Ops.class).check("pricing:health")).isEmpty();
            assertThat(TestApps.get(app, "/actuator/health/pricing", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        }
    }
}
