package io.opskit.core.breaker;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Guards calls to a dependency with a resilience4j circuit breaker of that name, created on
 * first use from the registry's default configuration.
 *
 * <pre>{@code
 * Breakers breakers = Breakers.of(BreakerDefaults.registry());
 * Receipt r = breakers.guard("payments", () -> payments.charge(order));
 * }</pre>
 *
 * <p>While a breaker is open, every guarded call fails at once with resilience4j's
 * {@link CallNotPermittedException} ("CircuitBreaker 'payments' is OPEN and does not permit
 * further calls") without running the call. A guard costs a map lookup and two atomic updates.
 *
 * <p>As a {@link MeterBinder} it binds resilience4j's tagged breaker metrics
 * ({@code resilience4j.circuitbreaker.state}, {@code .calls}, {@code .failure.rate}, …) for every
 * breaker of the registry, also those created later.
 */
public final class Breakers implements MeterBinder {

    private final CircuitBreakerRegistry registry;

    private Breakers(CircuitBreakerRegistry registry) {
        this.registry = registry;
    }

    /** Breakers from {@code registry}; share the registry with {@link BreakerHealth} so health follows them. */
    public static Breakers of(CircuitBreakerRegistry registry) {
        return new Breakers(Objects.requireNonNull(registry, "registry must not be null: use BreakerDefaults.registry()"));
    }

    /** Breakers from a new registry with the {@link BreakerDefaults}. */
    public static Breakers ofDefaults() {
        return new Breakers(BreakerDefaults.registry());
    }

    /** The registry the breakers live in. */
    public CircuitBreakerRegistry registry() {
        return registry;
    }

    /** The breaker of that name, created from the registry's default configuration if it does not exist. */
    public CircuitBreaker breaker(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("breaker name must not be blank, but was '" + name
                    + "': name the dependency, e.g. 'payments'");
        }
        return registry.circuitBreaker(name);
    }

    /**
     * Runs {@code call} through the breaker {@code name}; a thrown exception counts as a failure
     * and is rethrown.
     *
     * @throws CallNotPermittedException at once, without running the call, while the breaker is open
     */
    public <T> T guard(String name, Supplier<T> call) {
        Objects.requireNonNull(call, "call");
        return breaker(name).executeSupplier(call);
    }

    /**
     * Runs a {@link Callable} through the breaker {@code name}.
     *
     * @throws CallNotPermittedException at once, without running the call, while the breaker is open
     * @throws Exception                 what the call threw (counted as a failure)
     */
    public <T> T call(String name, Callable<T> call) throws Exception {
        Objects.requireNonNull(call, "call");
        return breaker(name).executeCallable(call);
    }

    /**
     * Runs a {@link Runnable} through the breaker {@code name}.
     *
     * @throws CallNotPermittedException at once, without running the call, while the breaker is open
     */
    public void run(String name, Runnable call) {
        Objects.requireNonNull(call, "call");
        breaker(name).executeRunnable(call);
    }

    /**
     * Guards an asynchronous call: the stage's outcome is recorded when it completes. While the
     * breaker is open the returned stage fails with {@link CallNotPermittedException}.
     */
    public <T> CompletionStage<T> guardAsync(String name, Supplier<? extends CompletionStage<T>> call) {
        Objects.requireNonNull(call, "call");
        return breaker(name).executeCompletionStage(call::get);
    }

    /** Binds resilience4j's tagged metrics of every breaker in the registry, present and future. */
    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meterRegistry);
    }
}
