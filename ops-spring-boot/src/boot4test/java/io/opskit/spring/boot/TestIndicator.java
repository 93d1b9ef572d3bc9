package io.opskit.spring.boot;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Test support: a Boot 4 {@link HealthIndicator} written as a lambda answering a {@link TestHealth}. */
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
