package io.opskit.benchmarks.jmh;

import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.HealthSnapshot;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A fresh evaluation of 50 checks that each take 20 ms (issue 2: about the time of one check when
 * run in parallel, where a sequential runner needs a second).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FreshEvaluationBenchmark {

    static final int CHECKS = 50;
    static final long CHECK_MILLIS = 20;

    /** The 50 checks, each sleeping 20 ms. */
    @State(Scope.Benchmark)
    public static class Checks {
        final List<HealthCheck> list = new ArrayList<>();

        /** Creates the checks. */
        @Setup(Level.Trial)
        public void setUp() {
            for (int i = 0; i < CHECKS; i++) {
                list.add(() -> {
                    Thread.sleep(CHECK_MILLIS);
                    return Result.pass();
                });
            }
        }
    }

    /** An engine over the checks, whose own schedule would run them only once an hour. */
    @State(Scope.Benchmark)
    public static class Engine {

        /** The engine's worker threads: 8 is opskit's default, 64 covers all 50 checks at once. */
        @Param({"8", "64"})
        public int threads;

        Ops ops;

        /**
         * Starts the engine and lets every check run once.
         *
         * @param checks the checks
         */
        @Setup(Level.Trial)
        public void setUp(Checks checks) {
            Ops.Builder builder = Ops.builder().threads(threads);
            for (int i = 0; i < CHECKS; i++) {
                builder.check(CheckRegistration.builder("dep" + i + ":responseTime", checks.list.get(i))
                        .probes(Probe.READINESS).interval(Duration.ofHours(1)).timeout(Duration.ofSeconds(5)).build());
            }
            ops = builder.build().start();
            ops.refreshAll().join();
        }

        /** Stops the engine. */
        @TearDown(Level.Trial)
        public void tearDown() {
            ops.close();
        }
    }

    /**
     * opskit: {@code refreshAll()} runs all 50 checks on the engine's workers and completes with
     * the new snapshot.
     *
     * @param engine the engine
     * @return the overall status
     */
    @Benchmark
    public Status parallelRefreshAll(Engine engine) {
        HealthSnapshot snapshot = engine.ops.refreshAll().join();
        return snapshot.status();
    }

    /**
     * The naive runner: every check in turn on the caller's thread, as a health endpoint that
     * evaluates on request does.
     *
     * @param checks the checks
     * @return the worst status
     * @throws Exception what a check throws
     */
    @Benchmark
    public Status sequential(Checks checks) throws Exception {
        Status worst = Status.PASS;
        for (HealthCheck check : checks.list) {
            worst = worst.worst(check.check().status());
        }
        return worst;
    }
}
