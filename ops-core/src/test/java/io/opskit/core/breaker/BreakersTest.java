package io.opskit.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BreakersTest {

    private final Breakers breakers = Breakers.of(CircuitBreakerRegistry.of(BreakerDefaults.custom()
            .slidingWindowSize(4).minimumNumberOfCalls(4).waitDurationInOpenState(Duration.ofMillis(50))
            .permittedNumberOfCallsInHalfOpenState(1).build()));

    @Test
    void defaultsAreCountBasedWithFailureAndSlowCallThresholds() {
        CircuitBreakerConfig c = BreakerDefaults.config();
        assertThat(c.getSlidingWindowType()).isEqualTo(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED);
        assertThat(c.getSlidingWindowSize()).isEqualTo(BreakerDefaults.SLIDING_WINDOW_SIZE);
        assertThat(c.getMinimumNumberOfCalls()).isEqualTo(BreakerDefaults.MINIMUM_NUMBER_OF_CALLS);
        assertThat(c.getFailureRateThreshold()).isEqualTo(BreakerDefaults.FAILURE_RATE_THRESHOLD);
        assertThat(c.getSlowCallRateThreshold()).isEqualTo(BreakerDefaults.SLOW_CALL_RATE_THRESHOLD);
        assertThat(c.getSlowCallDurationThreshold()).isEqualTo(BreakerDefaults.SLOW_CALL_DURATION_THRESHOLD);
        assertThat(c.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(BreakerDefaults.PERMITTED_CALLS_IN_HALF_OPEN_STATE);
        assertThat(c.isAutomaticTransitionFromOpenToHalfOpenEnabled()).isFalse();
        assertThat(BreakerDefaults.registry().getDefaultConfig().getSlidingWindowSize()).isEqualTo(20);
    }

    @Test
    void guardReturnsTheValueOfEachKindOfCall() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        assertThat(breakers.guard("payments", () -> "paid")).isEqualTo("paid");
        assertThat(breakers.call("payments", () -> 42)).isEqualTo(42);
        breakers.run("payments", ran::incrementAndGet);
        assertThat(breakers.guardAsync("payments", () -> CompletableFuture.completedFuture("later"))
                .toCompletableFuture().join()).isEqualTo("later");
        assertThat(ran).hasValue(1);
        assertThat(breakers.breaker("payments").getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(4);
    }

    @Test
    void openBreakerFailsFastWithoutRunningTheCall() {
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> breakers.guard("flaky", () -> {
                throw new UncheckedIOException(new IOException("connection reset"));
            })).isInstanceOf(UncheckedIOException.class);
        }
        assertThat(breakers.breaker("flaky").getState()).isEqualTo(CircuitBreaker.State.OPEN);

        AtomicInteger ran = new AtomicInteger();
        assertThatThrownBy(() -> breakers.run("flaky", ran::incrementAndGet))
                .isInstanceOf(CallNotPermittedException.class)
                .hasMessageContaining("'flaky' is OPEN");
        assertThat(ran).hasValue(0);
    }

    @Test
    void aTrialCallAfterTheWaitClosesTheBreakerAgain() {
        CircuitBreaker b = breakers.breaker("recovering");
        b.transitionToOpenState();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2))
                .until(() -> breakers.guard("recovering", () -> "ok").equals("ok"));
        assertThat(b.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void blankBreakerNameIsRejectedWithTheFix() {
        assertThatThrownBy(() -> breakers.guard(" ", () -> 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("breaker name must not be blank").hasMessageContaining("payments");
    }

    @Test
    void metricsOfBreakersCreatedBeforeAndAfterBindingAreExposed() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        breakers.breaker("before");
        breakers.bindTo(meters);
        breakers.breaker("after");
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "before").gauges()).isNotEmpty();
        assertThat(meters.find("resilience4j.circuitbreaker.state").tag("name", "after").gauges()).isNotEmpty();
        assertThat(meters.find("resilience4j.circuitbreaker.failure.rate").tag("name", "after").gauge()).isNotNull();
    }
}
