package io.opskit.benchmarks.jmh;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.opskit.core.breaker.Breakers;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What guarding a call with a circuit breaker costs (issue 6: under 1 µs per call). The call
 * itself is trivial, so the difference to {@link #direct()} is the guard's overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class BreakerGuardBenchmark {

    private Breakers breakers;
    private CircuitBreaker breaker;
    private Supplier<Integer> call;
    private int counter;

    /** Builds opskit's breakers with their defaults and a trivial call. */
    @Setup
    public void setUp() {
        breakers = Breakers.ofDefaults();
        breaker = breakers.breaker("payments");
        call = () -> ++counter;
    }

    /**
     * The call without a breaker.
     *
     * @return the call's value
     */
    @Benchmark
    public Integer direct() {
        return call.get();
    }

    /**
     * The call through {@code breakers.guard(name, call)}: looks the breaker up by name each time.
     *
     * @return the call's value
     */
    @Benchmark
    public Integer guardByName() {
        return breakers.guard("payments", call);
    }

    /**
     * The call through a breaker held by the caller (resilience4j alone, for comparison).
     *
     * @return the call's value
     */
    @Benchmark
    public Integer heldBreaker() {
        return breaker.executeSupplier(call);
    }
}
