package io.opskit.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CircuitBreakerHealthCheckTest {

    private final CircuitBreaker breaker = CircuitBreaker.of("payments", BreakerDefaults.custom()
            .slidingWindowSize(4).minimumNumberOfCalls(4).build());

    @Test
    void closedBreakerPassesAndSaysHowManyCallsAreNeeded() {
        Result r = CircuitBreakerHealthCheck.of(breaker, true).check();
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("CLOSED").contains("0 of 4 calls"));
        assertThat(r.details()).containsEntry("state", "CLOSED").containsEntry("failureRateThreshold", 50.0)
                .doesNotContainKey("failureRate");
        assertThat(r.observedValue()).isEmpty();
    }

    @Test
    void openCriticalBreakerFailsWithItsFailureRate() {
        breaker.onSuccess(1, TimeUnit.MILLISECONDS);
        for (int i = 0; i < 3; i++) {
            breaker.onError(1, TimeUnit.MILLISECONDS, new IllegalStateException("boom"));
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);

        Result r = CircuitBreakerHealthCheck.of(breaker, true).check();
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o)
                .contains("'payments' is OPEN").contains("failure rate 75.0%").contains("trial call"));
        assertThat(r.details()).containsEntry("state", "OPEN").containsEntry("failureRate", 75.0)
                .containsEntry("slowCallRate", 0.0).containsEntry("failedCalls", 3).containsEntry("bufferedCalls", 4);
        assertThat(r.observedValue()).contains(75.0);
        assertThat(r.observedUnit()).contains("percent");
    }

    @Test
    void openNonCriticalBreakerOnlyWarns() {
        breaker.transitionToOpenState();
        assertThat(CircuitBreakerHealthCheck.of(breaker, false).check().status()).isEqualTo(Status.WARN);
        breaker.transitionToForcedOpenState();
        assertThat(CircuitBreakerHealthCheck.of(breaker, true).check().status()).isEqualTo(Status.FAIL);
    }

    @Test
    void halfOpenBreakerWarns() {
        breaker.transitionToOpenState();
        breaker.transitionToHalfOpenState();
        Result r = CircuitBreakerHealthCheck.of(breaker, true).check();
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.details()).containsEntry("state", "HALF_OPEN");
    }

    @Test
    void disabledBreakerPassesAndSaysItNeverRefuses() {
        breaker.transitionToDisabledState();
        Result r = CircuitBreakerHealthCheck.of(breaker, true).check();
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("never refuses"));
    }
}
