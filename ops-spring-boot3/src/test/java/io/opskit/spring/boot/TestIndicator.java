package io.opskit.spring.boot;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** Test support: a Boot 3 {@link HealthIndicator} written as a lambda answering a {@link TestHealth}. */
@FunctionalInterface
interface TestIndicator extends HealthIndicator {

    /** This indicator's answer. */
    TestHealth answer();

    @Override
    default Health health() {
        TestHealth answer = answer();
        return Health.status(answer.status()).withDetails(answer.details()).build();
    }
}
