package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import org.junit.jupiter.api.Test;

/**
 * Boot's own Redis indicator follows opskit's cache mode: not critical while Redis is a cache (the default),
 * critical when the application cannot work without it, and {@code opskit.checks.redis.critical} wins over both.
 * Every other indicator stays critical.
 */
class RedisIndicatorCacheModeTest {

    private static final TestIndicator DOWN = TestHealth::down;

    @Test
    void bootsRedisIndicatorIsCriticalOnlyWhenRedisIsNotACache() {
        assertThat(critical(new OpsProperties(), "redis")).as("cache mode, the default").isFalse();
        assertThat(critical(new OpsProperties(), "db")).isTrue();
        OpsProperties required = new OpsProperties();
        required.getRedis().setCacheMode(false);
        assertThat(critical(required, "redis")).isTrue();
        OpsProperties overridden = new OpsProperties();
        OpsProperties.Check check = new OpsProperties.Check();
        check.setCritical(true);
        overridden.getChecks().put("redis", check);
        assertThat(critical(overridden, "redis")).as("opskit.checks.redis.critical=true").isTrue();
    }

    private static boolean critical(OpsProperties properties, String indicator) {
        try (Ops ops = Ops.builder().serviceId("test").build()) {
            new ActuatorBridge(ops, properties).adopt(indicator, DOWN);
            return ops.registrations().stream().filter(r -> r.name().startsWith(indicator + ":"))
                    .map(CheckRegistration::critical).findFirst().orElseThrow();
        }
    }
}
