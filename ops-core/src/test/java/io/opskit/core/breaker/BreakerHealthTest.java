package io.opskit.core.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import static org.awaitility.Awaitility.await;

import io.opskit.core.ActionEvent;
import io.opskit.core.Attachment;
import io.opskit.core.CheckRegistration;
import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import io.opskit.core.OpsEvents;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BreakerHealthTest {

    private final CircuitBreakerRegistry registry = BreakerDefaults.registry();
    private final Ops ops = Ops.builder().threads(1).bindJvmMetrics(false).build();
    private final OpsEvents events = ops.events();

    @AfterEach
    void close() {
        ops.close();
    }

    private Attachment attach(BreakerHealth.Builder builder) {
        return ops.attach(builder.build());
    }

    private Map<String, CheckRegistration> registered() {
        Map<String, CheckRegistration> out = new java.util.LinkedHashMap<>();
        ops.registrations().forEach(r -> out.put(r.name(), r));
        return out;
    }

    private Status status(String check) {
        return ops.check(check).map(CheckState::status).orElse(null);
    }

    @Test
    void breakersPresentAndAddedLaterBecomeChecks() throws Exception {
        registry.circuitBreaker("payments");
        attach(BreakerHealth.builder(registry).critical(name -> !name.equals("recommendations")));
        registry.circuitBreaker("recommendations");

        Map<String, CheckRegistration> registered = registered();
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

        attach(BreakerHealth.builder(registry));
        registry.circuitBreaker("a b");
        registry.circuitBreaker("a/b");
        Map<String, CheckRegistration> registered = registered();
        assertThat(registered).containsOnlyKeys("a-b:circuitBreaker", "a-b-2:circuitBreaker");
        assertThat(registered.keySet()).allMatch(CheckRegistration::isValidName);
    }

    @Test
    void transitionsArePublishedAsEventsAndRefreshTheCheck() {
        attach(BreakerHealth.builder(registry).events(OpsEvents.NOOP));   // NOOP: the Ops' own events
        CircuitBreaker b = registry.circuitBreaker("payments");
        b.transitionToOpenState();
        // the engine is not started: only the refresh on the transition runs the check
        await().atMost(Duration.ofSeconds(5)).until(() -> status("payments:circuitBreaker") == Status.FAIL);
        b.transitionToHalfOpenState();
        b.transitionToClosedState();

        assertThat(actions(events)).extracting(ActionEvent::message)
                .containsExactly("CLOSED -> OPEN", "OPEN -> HALF_OPEN", "HALF_OPEN -> CLOSED");
        ActionEvent first = actions(events).get(0);
        assertThat(first.source()).isEqualTo("payments:circuitBreaker");
        assertThat(first.action()).isEqualTo("transition");
        assertThat(first.details()).containsEntry("from", "CLOSED").containsEntry("to", "OPEN").containsKey("failureRate");
    }

    @Test
    void removedBreakersAreUnregistered() {
        Attachment a = attach(BreakerHealth.builder(registry));
        registry.circuitBreaker("gone");
        assertThat(registered()).containsKey("gone:circuitBreaker");
        registry.remove("gone");
        assertThat(registered()).doesNotContainKey("gone:circuitBreaker");
        assertThat(a.checks()).doesNotContain("gone:circuitBreaker");
        registry.circuitBreaker("gone");
        assertThat(registered()).containsKey("gone:circuitBreaker");
    }

    @Test
    void detachingUnregistersTheChecksAndStopsBindingAndPublishing() {
        BreakerHealth health = BreakerHealth.builder(registry).build();
        Attachment a = ops.attach(health);
        CircuitBreaker early = registry.circuitBreaker("early");
        assertThat(health.checks()).containsEntry("early", "early:circuitBreaker");
        assertThat(ops.meterRegistry().find("resilience4j.circuitbreaker.state").tag("name", "early").gauges()).isNotEmpty();
        a.close();
        registry.circuitBreaker("late");
        early.transitionToOpenState();
        assertThat(registered()).isEmpty();
        assertThat(actions(events)).isEmpty();
        assertThat(health.checks()).isEmpty();
    }

    @Test
    void reattachedAfterDetachingItBindsEachBreakerOnceAgain() {
        BreakerHealth health = BreakerHealth.builder(registry).build();
        CircuitBreaker b = registry.circuitBreaker("payments");
        ops.attach(health).close();
        ops.attach(health);
        assertThat(registered()).containsOnlyKeys("payments:circuitBreaker");
        b.transitionToOpenState();
        assertThat(actions(events)).extracting(ActionEvent::message).containsExactly("CLOSED -> OPEN");
    }

    @Test
    void aBreakerWhoseCheckNameIsTakenIsLoggedAndSkipped() {
        ops.register("dup:circuitBreaker", Result::pass);
        attach(BreakerHealth.builder(registry));
        assertThat(registry.circuitBreaker("dup").getName()).isEqualTo("dup");
        registry.circuitBreaker("other");
        assertThat(registered()).containsOnlyKeys("dup:circuitBreaker", "other:circuitBreaker");
    }

    @Test
    void builderRejectsBadValuesNamingTheField() {
        assertThatThrownBy(() -> BreakerHealth.builder(registry).interval(Duration.ZERO))
                .hasMessageContaining("interval must be positive, but was PT0S");
        assertThatThrownBy(() -> BreakerHealth.builder(registry).timeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("timeout must be positive");
        BreakerHealth health = BreakerHealth.builder(registry).build();
        ops.attach(health);
        try (Ops other = Ops.builder().bindJvmMetrics(false).build()) {
            assertThatThrownBy(() -> other.attach(health)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("this BreakerHealth is attached already");
            assertThat(other.registrations()).isEmpty();
        }
    }

    private static java.util.List<io.opskit.core.ActionEvent> actions(io.opskit.core.OpsEvents events) {
        return events.history().stream().filter(io.opskit.core.ActionEvent.class::isInstance)
                .map(io.opskit.core.ActionEvent.class::cast).toList();
    }
}
