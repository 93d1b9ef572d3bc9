package io.opskit.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.opskit.core.ActionEvent;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Probe;
import io.opskit.core.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class BreakerHealthTest {

    private final CircuitBreakerRegistry registry = BreakerDefaults.registry();
    private final Map<String, CheckRegistration> registered = new ConcurrentHashMap<>();
    private final List<String> refreshed = new CopyOnWriteArrayList<>();
    private final io.opskit.core.OpsEvents events = io.opskit.core.OpsEvents.inMemory(100);

    private BreakerHealth bind(BreakerHealth.Builder builder) {
        return builder.events(events).build()
                .bind(r -> registered.put(r.name(), r), registered::remove, refreshed::add);
    }

    @Test
    void breakersPresentAndAddedLaterBecomeChecks() throws Exception {
        registry.circuitBreaker("payments");
        bind(BreakerHealth.builder(registry).critical(name -> !name.equals("recommendations")));
        registry.circuitBreaker("recommendations");

        assertThat(registered).containsOnlyKeys("payments:circuitBreaker", "recommendations:circuitBreaker");
        CheckRegistration payments = registered.get("payments:circuitBreaker");
        assertThat(payments.critical()).isTrue();
        assertThat(payments.componentType()).isEqualTo("circuitBreaker");
        assertThat(payments.probes()).containsExactly(Probe.READINESS);
        assertThat(payments.interval()).isEqualTo(BreakerHealth.DEFAULT_INTERVAL);
        assertThat(registered.get("recommendations:circuitBreaker").critical()).isFalse();

        registry.circuitBreaker("recommendations").transitionToOpenState();
        assertThat(registered.get("recommendations:circuitBreaker").check().check().status()).isEqualTo(Status.WARN);
        registry.circuitBreaker("payments").transitionToOpenState();
        assertThat(payments.check().check().status()).isEqualTo(Status.FAIL);
    }

    @Test
    void namesOutsideTheNameAlphabetAreMappedAndKeptDistinct() {
        assertThat(BreakerHealth.checkName("api.example.com:443")).isEqualTo("api.example.com-443:circuitBreaker");
        assertThat(BreakerHealth.checkName("_ payments/v2")).isEqualTo("payments-v2:circuitBreaker");
        assertThat(BreakerHealth.checkName("ü")).isEqualTo("breaker:circuitBreaker");
        assertThat(BreakerHealth.checkName("x".repeat(100))).isEqualTo("x".repeat(63) + ":circuitBreaker");

        bind(BreakerHealth.builder(registry));
        registry.circuitBreaker("a b");
        registry.circuitBreaker("a/b");
        assertThat(registered).containsOnlyKeys("a-b:circuitBreaker", "a-b-2:circuitBreaker");
        assertThat(registered.keySet()).allMatch(CheckRegistration::isValidName);
    }

    @Test
    void transitionsArePublishedAsEventsAndRefreshTheCheck() {
        bind(BreakerHealth.builder(registry));
        CircuitBreaker b = registry.circuitBreaker("payments");
        b.transitionToOpenState();
        b.transitionToHalfOpenState();
        b.transitionToClosedState();

        assertThat(actions(events)).extracting(ActionEvent::message)
                .containsExactly("CLOSED -> OPEN", "OPEN -> HALF_OPEN", "HALF_OPEN -> CLOSED");
        ActionEvent first = actions(events).get(0);
        assertThat(first.source()).isEqualTo("payments:circuitBreaker");
        assertThat(first.action()).isEqualTo("transition");
        assertThat(first.details()).containsEntry("from", "CLOSED").containsEntry("to", "OPEN").containsKey("failureRate");
        assertThat(refreshed).containsExactly("payments:circuitBreaker", "payments:circuitBreaker", "payments:circuitBreaker");
    }

    @Test
    void removedBreakersAreUnregistered() {
        bind(BreakerHealth.builder(registry));
        registry.circuitBreaker("gone");
        assertThat(registered).containsKey("gone:circuitBreaker");
        registry.remove("gone");
        assertThat(registered).doesNotContainKey("gone:circuitBreaker");
        registry.circuitBreaker("gone");
        assertThat(registered).containsKey("gone:circuitBreaker");
    }

    @Test
    void closingStopsBindingAndPublishing() {
        BreakerHealth health = bind(BreakerHealth.builder(registry));
        CircuitBreaker early = registry.circuitBreaker("early");
        health.close();
        registry.circuitBreaker("late");
        early.transitionToOpenState();
        assertThat(registered).containsOnlyKeys("early:circuitBreaker");
        assertThat(actions(events)).isEmpty();
        assertThat(health.checks()).containsEntry("early", "early:circuitBreaker");
    }

    @Test
    void aFailingRegisterCallbackIsLoggedAndSkipped() {
        BreakerHealth.builder(registry).build().bind(r -> {
            throw new IllegalArgumentException("duplicate check name " + r.name());
        }, n -> { });
        assertThat(registry.circuitBreaker("dup").getName()).isEqualTo("dup");
    }

    @Test
    void builderRejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> BreakerHealth.builder(registry).interval(Duration.ZERO))
                .hasMessageContaining("interval must be positive, but was PT0S");
        assertThatThrownBy(() -> BreakerHealth.builder(registry).timeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("timeout must be positive");
        BreakerHealth health = BreakerHealth.builder(registry).build().bind(r -> { }, n -> { });
        assertThatThrownBy(() -> health.bind(r -> { }, n -> { })).isInstanceOf(IllegalStateException.class);
    }

    private static java.util.List<io.opskit.core.ActionEvent> actions(io.opskit.core.OpsEvents events) {
        return events.history().stream().filter(io.opskit.core.ActionEvent.class::isInstance)
                .map(io.opskit.core.ActionEvent.class::cast).toList();
    }
}
