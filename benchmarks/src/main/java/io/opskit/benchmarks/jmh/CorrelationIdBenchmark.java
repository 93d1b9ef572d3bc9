package io.opskit.benchmarks.jmh;

import io.opskit.core.correlation.CorrelationId;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * Correlation ID generation against the JDK's usual way to make a random ID. The goal (issue 3):
 * opskit's generator at least 10× faster than {@code UUID.randomUUID().toString()}, and free of
 * contention on the shared {@code SecureRandom} (hence the two-thread variants).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CorrelationIdBenchmark {

    /**
     * opskit's generator: 128 random bits from a per-thread generator, as 32 hex characters.
     *
     * @return a new ID
     */
    @Benchmark
    public String opskitGenerate() {
        return CorrelationId.generate();
    }

    /**
     * The baseline: a random UUID as text, drawn from the JDK's shared {@code SecureRandom}.
     *
     * @return a new ID
     */
    @Benchmark
    public String uuidRandomToString() {
        return UUID.randomUUID().toString();
    }

    /**
     * opskit's generator called from two threads at once.
     *
     * @return a new ID
     */
    @Benchmark
    @Threads(2)
    public String opskitGenerateTwoThreads() {
        return CorrelationId.generate();
    }

    /**
     * The baseline called from two threads at once (they share one {@code SecureRandom}).
     *
     * @return a new ID
     */
    @Benchmark
    @Threads(2)
    public String uuidRandomToStringTwoThreads() {
        return UUID.randomUUID().toString();
    }
}
