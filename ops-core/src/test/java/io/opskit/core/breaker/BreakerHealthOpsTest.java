package io.opskit.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.opskit.core.ActionEvent;
import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Status;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BreakerHealthOpsTest {

    private final Ops ops = Ops.builder().threads(2).build().start();

    @AfterEach
    void close() {
        ops.close();
    }

    private Status status(String name) {
        return ops.check(name).map(CheckState::status).orElse(null);
    }

    @Test
    void healthFollowsARealBreakerThroughOpenHalfOpenAndClosed() {
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(BreakerDefaults.custom()
                .slidingWindowSize(4).minimumNumberOfCalls(4).permittedNumberOfCallsInHalfOpenState(1)
                .waitDurationInOpenState(Duration.ofMillis(500)).build());
        Breakers breakers = Breakers.of(registry);
        ops.attach(BreakerHealth.builder(registry).interval(Duration.ofMinutes(10)).build());

        breakers.guard("payments", () -> "ok");
        await().atMost(Duration.ofSeconds(5)).until(() -> status("payments:circuitBreaker") == Status.PASS);

        for (int i = 0; i < 3; i++) { // with the success above: 4 calls, 75% failed
            try {
                breakers.run("payments", () -> {
                    throw new IllegalStateException("payment provider down");
                });
            } catch (IllegalStateException expected) {
                // counted by the breaker
            }
        }
        assertThatThrownBy(() -> breakers.guard("payments", () -> "refused"))
                .isInstanceOf(CallNotPermittedException.class).hasMessageContaining("'payments' is OPEN");
        // a 10-minute interval: only the refresh on transition can make this visible in time
        await().atMost(Duration.ofSeconds(5)).until(() -> status("payments:circuitBreaker") == Status.FAIL);
        assertThat(ops.health(Probe.READINESS).status()).isEqualTo(Status.FAIL);

        CircuitBreaker breaker = registry.circuitBreaker("payments");
        await().atMost(Duration.ofSeconds(5)).until(() -> breaker.tryAcquirePermission());
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
        await().atMost(Duration.ofSeconds(5)).until(() -> status("payments:circuitBreaker") == Status.WARN);
        breaker.onSuccess(1, java.util.concurrent.TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> status("payments:circuitBreaker") == Status.PASS);

        assertThat(ops.events().history()).filteredOn(e -> e instanceof ActionEvent)
                .extracting(e -> ((ActionEvent) e).message())
                .containsSubsequence("CLOSED -> OPEN", "OPEN -> HALF_OPEN", "HALF_OPEN -> CLOSED");
        assertThat(ops.meterRegistry().find("resilience4j.circuitbreaker.state").tag("name", "payments").gauges()).isNotEmpty();
    }
}
