package io.opskit.benchmarks.jmh;

import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** Placeholder */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UuidBaselineBenchmark {

    /**
     * The JDK's way to get a random ID.
     *
     * @return a random UUID as text
     */
    @Benchmark
    public String uuidRandomToString() {
        return UUID.randomUUID().toString();
    }
}
