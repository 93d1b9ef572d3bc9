package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import io.opskit.core.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import redis.embedded.RedisServer;

/**
 * Redis unreachable when the application starts: Spring connects lazily and the application
 * starts; opskit must not be the one that makes it fail (its own connection used to be opened on
 * the start thread, and a refused connection aborted the start). Then Redis comes up and opskit's
 * checks attach by themselves.
 */
class RedisDownAtStartTest {

    @Test
    void theApplicationStartsWithRedisDownAndOpskitConnectsWhenRedisComesUp() throws Exception {
        int port = Services.freePort();
        try (ConfigurableApplicationContext app = TestApps.start(new Class<?>[] {App.class},
                "spring.autoconfigure.exclude=" + TestApps.NO_DATABASE,
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + port,
                "spring.data.redis.connect-timeout=1s", "management.endpoint.health.probes.enabled=true")) {
            Ops ops = app.getBean(Ops.class);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                assertThat(ops.health().check("redis:connection")).isPresent();
                CheckState connection = ops.health().check("redis:connection").get();
                assertThat(connection.result().status()).isEqualTo(Status.FAIL);
                assertThat(connection.critical()).as("cache mode: not critical").isFalse();
                assertThat(connection.result().output().orElse("")).contains("not connected").containsIgnoringCase("refused");
            });
            // Kubernetes asks Boot's readiness group: a cache that is down never makes the instance unready
            assertThat(TestApps.get(app, "/actuator/health/readiness", Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
            // nor opskit's readiness (opskit_health_probe_status, the OpskitInstanceNotReady alert): Boot's own Redis
            // indicator runs in opskit's engine, in cache mode not critical either
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ops.check("redis:health"))
                    .hasValueSatisfying(c -> {
                        assertThat(c.result().status()).isEqualTo(Status.FAIL);
                        assertThat(c.critical()).isFalse();
                    }));
            assertThat(ops.health(io.opskit.core.Probe.READINESS).status()).isNotEqualTo(Status.FAIL);

            RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            redis.start();
            try {
                await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> {
                    // (absent for a moment while opskit swaps its "not connected" check for the watchdog's)
                    assertThat(ops.health().check("redis:connection"))
                            .hasValueSatisfying(c -> assertThat(c.status()).isEqualTo(Status.PASS));
                    assertThat(ops.health().check("redis:responseTime")).isPresent();
                });
            } finally {
                app.close();
                redis.stop();
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {
    }
}
