package io.opskit.redis;

import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Objects;

/**
 * Wires Lettuce's own command latency metrics ({@code lettuce.command.completion} and
 * {@code lettuce.command.firstresponse} timers, tagged by command) to the same Micrometer registry
 * as opskit. Lettuce reads its recorder from {@link ClientResources}, so this applies to clients
 * created with the returned resources.
 *
 * <pre>{@code
 * ClientResources resources = RedisLatencyMetrics.clientResources(registry).build();
 * RedisClient client = RedisClient.create(resources, "redis://cache:6379");
 * }</pre>
 */
public final class RedisLatencyMetrics {

    private RedisLatencyMetrics() {
    }

    /** A Lettuce latency recorder with Lettuce's default options into {@code registry}. */
    public static CommandLatencyRecorder recorder(MeterRegistry registry) {
        return recorder(registry, MicrometerOptions.create());
    }

    /** A Lettuce latency recorder with {@code options} (histograms, percentiles, tags) into {@code registry}. */
    public static CommandLatencyRecorder recorder(MeterRegistry registry, MicrometerOptions options) {
        return new MicrometerCommandLatencyRecorder(Objects.requireNonNull(registry, "registry"),
                Objects.requireNonNull(options, "options"));
    }

    /** A {@link ClientResources} builder whose command latencies go to {@code registry}; add your settings and build. */
    public static ClientResources.Builder clientResources(MeterRegistry registry) {
        return ClientResources.builder().commandLatencyRecorder(recorder(registry));
    }
}
