package io.opskit.benchmarks.jmh;

import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.OpsAccess;
import io.opskit.core.endpoint.Role;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What checking a bearer token costs (issue 14: under 1 µs). {@link #anonymous()} authenticates a
 * request without credentials; {@link #viewerToken()} and {@link #wrongToken()} one that carries a
 * token, compared in constant time with both configured tokens. The difference is the token check.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class AccessBenchmark {

    private OpsAccess access;
    private EndpointRequest none;
    private EndpointRequest viewer;
    private EndpointRequest wrong;

    /** Two tokens, as the example configures them, and three requests. */
    @Setup
    public void setUp() {
        access = OpsAccess.builder().token("viewer", "viewer-token-0123456789", Role.VIEWER)
                .token("operator", "operator-token-0123456789", Role.OPERATOR).build();
        none = EndpointRequest.of("GET", "/ops/events", Map.of(), new byte[0]);
        viewer = EndpointRequest.of("GET", "/ops/events", Map.of("Authorization", "Bearer viewer-token-0123456789"), new byte[0]);
        wrong = EndpointRequest.of("GET", "/ops/events", Map.of("Authorization", "Bearer not-a-token-0123456789"), new byte[0]);
    }

    /**
     * No credentials.
     *
     * @return the outcome
     */
    @Benchmark
    public OpsAccess.Authentication anonymous() {
        return access.authenticate(none);
    }

    /**
     * The viewer's token.
     *
     * @return the outcome
     */
    @Benchmark
    public OpsAccess.Authentication viewerToken() {
        return access.authenticate(viewer);
    }

    /**
     * A token that matches nothing.
     *
     * @return the outcome
     */
    @Benchmark
    public OpsAccess.Authentication wrongToken() {
        return access.authenticate(wrong);
    }
}
