package io.opskit.benchmarks.jmh;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.HealthEndpoint;
import io.opskit.core.endpoint.ShowDetails;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
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
 * Serving health: a request for {@code /health/ready} over a snapshot of N checks answered from
 * the cached JSON bytes (issue 2: a few hundred nanoseconds, independent of the number of checks
 * and of how slow the dependencies are). Each check takes {@code checkMillis} to run, in the
 * background only: the request never waits for it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class SnapshotJsonBenchmark {

    /** How many checks the snapshot holds. */
    @Param({"10", "100"})
    public int checks;

    /** How long each check takes when the engine runs it. */
    @Param({"0", "20"})
    public int checkMillis;

    private Ops ops;
    private HealthEndpoint endpoint;
    private EndpointRequest request;
    private ByteArrayOutputStream out;

    /** Starts an engine with the checks, lets every check finish once, and warms the cache. */
    @Setup(Level.Trial)
    public void setUp() {
        Ops.Builder builder = Ops.builder().serviceId("bench").version("1.0.0").threads(16);
        long sleep = checkMillis;
        for (int i = 0; i < checks; i++) {
            int index = i;
            builder.check(CheckRegistration.builder("dep" + i + ":responseTime", () -> {
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
                return Result.pass().withObservedValue(index, "ms");
            }).componentType("datastore").probes(Probe.READINESS).interval(Duration.ofHours(1)).build());
        }
        ops = builder.build().start();
        ops.refreshAll().join();
        endpoint = HealthEndpoint.create(ops, ShowDetails.ALWAYS);
        request = EndpointRequest.of("GET", "127.0.0.1");
        out = new ByteArrayOutputStream(64 * 1024);
        EndpointResponse warm = endpoint.handle("ready", request);
        if (warm.status() != 200) {
            throw new IllegalStateException("readiness should pass, but answered " + warm.status() + ": " + warm.bodyText());
        }
    }

    /** Stops the engine. */
    @TearDown(Level.Trial)
    public void tearDown() {
        ops.close();
    }

    /**
     * One request: pick the cached response of the current snapshot and copy its bytes out.
     *
     * @return the response length
     * @throws IOException never (an in-memory stream)
     */
    @Benchmark
    public int serveReadiness() throws IOException {
        out.reset();
        EndpointResponse response = endpoint.handle("ready", request);
        response.writeTo(out);
        return out.size();
    }
}
