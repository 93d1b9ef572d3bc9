package io.opskit.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RedisLatencyMetricsTest {

    @Test
    void lettucesCommandLatenciesLandInTheSameRegistry() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ClientResources resources = RedisLatencyMetrics.clientResources(registry).build();
        try (EmbeddedRedis server = EmbeddedRedis.start()) {
            RedisClient client = RedisClient.create(resources, server.uri());
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().set("k", "v");
                connection.sync().get("k");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        } finally {
            resources.shutdown(0, 1, TimeUnit.SECONDS);
        }

        Timer get = registry.find("lettuce.command.completion").tag("command", "GET").timer();
        assertThat(get).isNotNull();
        assertThat(get.count()).isEqualTo(1);
        assertThat(registry.find("lettuce.command.firstresponse").tag("command", "SET").timer()).isNotNull();
    }
}
