package io.opskit.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.Attachment;
import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Status;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.HealthEndpoint;
import io.opskit.core.endpoint.ShowDetails;
import io.opskit.core.maintenance.MaintenanceMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Redis parts inside real {@link Ops} engines and {@link MaintenanceMode}s. */
class RedisInOpsTest {

    private static EmbeddedRedis server;
    private static ClientResources resources;

    @BeforeAll
    static void startRedis() {
        server = EmbeddedRedis.start();
        resources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();
    }

    @AfterAll
    static void stopRedis() {
        resources.shutdown(0, 1, TimeUnit.SECONDS);
        server.close();
    }

    /** What the starter does: RedisHealth and a watchdog, required or in cache mode; closing detaches and stops the watchdog. */
    private static AutoCloseable attach(Ops ops, StatefulRedisConnection<?, ?> connection, RedisClient client, boolean cacheMode) {
        RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).critical(!cacheMode).build();
        Attachment attachment = ops.attach(RedisHealth.builder(RedisTarget.of(connection)).cacheMode(cacheMode).build(), watchdog);
        return () -> {
            attachment.close();
            watchdog.close();
        };
    }

    private static Status status(Ops ops, String name) {
        return ops.check(name).map(CheckState::status).orElseThrow();
    }

    @Test
    void theEngineReportsAKilledServerThroughTheWatchdogsEventNotItsIntervalAndPassesAfterARestart() throws Exception {
        RedisClient client = RedisClient.create(resources, server.uri());
        StatefulRedisConnection<String, String> connection = client.connect();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        // intervals of an hour: no tick comes during the test, so a FAIL can only come from the event
        RedisHealth health = RedisHealth.builder(RedisTarget.of(connection)).interval(Duration.ofHours(1)).build();
        RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).interval(Duration.ofHours(1)).build();
        try (Ops ops = Ops.builder().meterRegistry(registry).build().start();
             RedisConnectionWatchdog closeMe = watchdog) {
            Attachment redis = ops.attach(health, watchdog);
            assertThat(redis.checks()).containsExactly("redis:responseTime", "redis:memory", "redis:hitRatio",
                    "redis:connections", "redis:replication", "redis:connection");
            assertThat(redis.meters()).extracting(m -> m.getName()).contains("opskit.redis.memory.used", "opskit.redis.ping");
            ops.refreshAll().get(5, TimeUnit.SECONDS);
            assertThat(status(ops, "redis:responseTime")).isEqualTo(Status.PASS);
            assertThat(status(ops, "redis:connection")).isEqualTo(Status.PASS);
            assertThat(ops.registrations()).extracting(r -> r.interval()).allMatch(i -> i.compareTo(Duration.ofHours(1)) >= 0);
            assertThat(registry.get("opskit.redis.memory.used").gauge().value()).isPositive();

            server.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> status(ops, "redis:connection") == Status.FAIL);
            assertThat(ops.check("redis:connection").orElseThrow().result().output()).get().asString().contains("lost");

            server.restart();
            await().atMost(Duration.ofSeconds(5)).until(() -> status(ops, "redis:connection") == Status.PASS);

            redis.close();
            assertThat(ops.registrations()).isEmpty();
            assertThat(registry.find("opskit.redis.memory.used").gauges()).isEmpty();
            server.stop();    // detached: the watchdog's change re-runs nothing
            await().atMost(Duration.ofSeconds(30)).until(() -> watchdog.status() == Status.FAIL);
            assertThat(ops.check("redis:connection")).isEmpty();
            server.restart();
        } finally {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void manyCacheMissesFailTheHitRatioButReadinessOnlyWarnsUnlessTheCheckIsMadeCritical() throws Exception {
        RedisClient client = RedisClient.create(resources, server.uri());
        StatefulRedisConnection<String, String> connection = client.connect();
        RedisHealth strictHealth = RedisHealth.builder(RedisTarget.of(connection)).critical("redis:hitRatio", true).build();
        try (Ops ops = Ops.builder().build().start();
             Ops strict = Ops.builder().build().start();
             AutoCloseable redis = attach(ops, connection, client, false);
             RedisConnectionWatchdog strictWatchdog = RedisConnectionWatchdog.builder(client).build()) {
            strict.attach(strictHealth, strictWatchdog);
            ops.refreshAll().get(5, TimeUnit.SECONDS);       // the hit ratio's first sample: its baseline
            strict.refreshAll().get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> readiness(ops) == Status.PASS && readiness(strict) == Status.PASS);

            for (int i = 0; i < 150; i++) {
                connection.sync().get("missing:" + i);
            }
            ops.refresh("redis:hitRatio").get(5, TimeUnit.SECONDS);
            strict.refresh("redis:hitRatio").get(5, TimeUnit.SECONDS);

            CheckState hitRatio = ops.check("redis:hitRatio").orElseThrow();
            assertThat(hitRatio.status()).isEqualTo(Status.FAIL);
            assertThat(hitRatio.critical()).isFalse();
            assertThat(hitRatio.result().output()).get().asString().startsWith("0.0% of 150 lookups hit");
            assertThat(readiness(ops)).isEqualTo(Status.WARN);
            assertThat(readyHttpStatus(ops)).isEqualTo(200);

            assertThat(status(strict, "redis:hitRatio")).isEqualTo(Status.FAIL);
            assertThat(readiness(strict)).isEqualTo(Status.FAIL);
            assertThat(readyHttpStatus(strict)).isEqualTo(503);
        } finally {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void inCacheModeAKilledRedisMakesReadinessWarnWhereRequiredRedisFailsIt() throws Exception {
        try (EmbeddedRedis own = EmbeddedRedis.start()) {
            RedisClient client = RedisClient.create(resources, own.uri());
            StatefulRedisConnection<String, String> connection = client.connect();
            try (Ops cacheOps = Ops.builder().build().start();
                 Ops requiredOps = Ops.builder().build().start();
                 AutoCloseable cache = attach(cacheOps, connection, client, true);
                 AutoCloseable required = attach(requiredOps, connection, client, false)) {
                cacheOps.refreshAll().get(5, TimeUnit.SECONDS);
                requiredOps.refreshAll().get(5, TimeUnit.SECONDS);
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> readiness(cacheOps) == Status.PASS && readiness(requiredOps) == Status.PASS);
                assertThat(cacheOps.registrations()).filteredOn(r -> r.name().startsWith("redis:")).hasSize(6)
                        .noneMatch(r -> r.critical());

                own.stop();
                await().atMost(Duration.ofSeconds(30)).until(() -> status(cacheOps, "redis:connection") == Status.FAIL
                        && status(requiredOps, "redis:connection") == Status.FAIL);
                cacheOps.refresh("redis:responseTime").get(5, TimeUnit.SECONDS);
                requiredOps.refresh("redis:responseTime").get(5, TimeUnit.SECONDS);

                assertThat(status(cacheOps, "redis:responseTime")).isEqualTo(Status.FAIL);
                assertThat(readiness(cacheOps)).isEqualTo(Status.WARN);
                assertThat(readyHttpStatus(cacheOps)).isEqualTo(200);
                assertThat(readiness(requiredOps)).isEqualTo(Status.FAIL);
                assertThat(readyHttpStatus(requiredOps)).isEqualTo(503);
            } finally {
                connection.close();
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    private static Status readiness(Ops ops) {
        return ops.health(Probe.READINESS).status();
    }

    private static int readyHttpStatus(Ops ops) {
        return HealthEndpoint.create(ops, ShowDetails.NEVER).handle("ready", EndpointRequest.of("GET", "127.0.0.1")).status();
    }

    @Test
    void twoInstancesShareMaintenanceModeThroughRedisAndARestartLosesNothing() throws Exception {
        try (RedisMaintenanceStore storeA = RedisMaintenanceStore.builder(server.uri()).key("ops:maint").channel("ops:maint").build();
             RedisMaintenanceStore storeB = RedisMaintenanceStore.builder(server.uri()).key("ops:maint").channel("ops:maint").build();
             MaintenanceMode a = MaintenanceMode.builder().ignoreEnvironment().store(storeA).build();
             MaintenanceMode b = MaintenanceMode.builder().ignoreEnvironment().store(storeB).build();
             Ops opsB = Ops.builder().build().start()) {
            opsB.attach(storeB);
            a.start();
            b.start();

            a.enable("database upgrade", Duration.ofMinutes(15));
            await().atMost(Duration.ofSeconds(30)).until(b::isEnabled);
            assertThat(b.state().reason()).isEqualTo("database upgrade");
            assertThat(b.retryAfterSeconds()).get().satisfies(s -> assertThat(s).isBetween(890L, 900L));

            server.stop();
            server.restart(); // an empty Redis: no persistence
            try (RedisMaintenanceStore storeC = RedisMaintenanceStore.builder(server.uri()).key("ops:maint").channel("ops:maint").build();
                 MaintenanceMode newcomer = MaintenanceMode.builder().ignoreEnvironment().store(storeC).build()) {
                await().atMost(Duration.ofSeconds(3)).until(() -> storeC.read().map(s -> s.enabled()).orElse(false));
                newcomer.start();
                assertThat(newcomer.isEnabled()).isTrue();
                assertThat(newcomer.state().reason()).isEqualTo("database upgrade");
            }
            assertThat(opsB.refresh(RedisMaintenanceStore.CHECK_NAME).get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.PASS);

            a.disable();
            await().atMost(Duration.ofSeconds(30)).until(() -> !b.isEnabled());
        }
    }
}
