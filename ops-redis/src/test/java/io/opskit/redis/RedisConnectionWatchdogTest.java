package io.opskit.redis;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.opskit.core.Result;
import io.opskit.core.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedisConnectionWatchdogTest {


    private static EmbeddedRedis server;
    private static ClientResources resources;

    @BeforeAll
    static void startRedis() {
        server = EmbeddedRedis.start();
        resources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(100))).build();
    }

    @AfterAll
    static void stopRedis() {
        resources.shutdown(0, 1, java.util.concurrent.TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void killingTheServerFailsTheCheckThroughTheEventAndARestartPassesIt() throws Exception {
        RedisClient client = RedisClient.create(resources, server.uri());
        try (RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).build()) {
            List<Status> changes = new CopyOnWriteArrayList<>();
            watchdog.onChange(r -> changes.add(r.status()));
            StatefulRedisConnection<String, String> connection = client.connect();
            await().atMost(Duration.ofSeconds(2)).until(() -> watchdog.currentResult().output().orElse("").startsWith("connected: 1"));
            assertThat(watchdog.registration().check().check().status()).isEqualTo(Status.PASS);

            // the watchdog's status changes only through Lettuce's events (nothing polls it here);
            // how fast is measured in benchmarks/ (RedisDetection), not asserted on a loaded CI
            server.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> watchdog.status() == Status.FAIL);

            Result failed = watchdog.registration().check().check();
            assertThat(changes).contains(Status.FAIL);
            assertThat(failed.status()).isEqualTo(Status.FAIL);
            assertThat(failed.output()).get().asString().contains("127.0.0.1:" + server.port()).contains("lost");
            await().atMost(Duration.ofSeconds(3)).until(() -> (Integer) watchdog.currentResult().details()
                    .getOrDefault("failedReconnects", 0) >= 1);
            assertThat(watchdog.currentResult().output()).get().asString().contains("reconnect attempt");

            server.restart();
            await().atMost(Duration.ofSeconds(5)).until(() -> watchdog.status() == Status.PASS);
            assertThat(connection.sync().ping()).isEqualTo("PONG");
            assertThat(changes).containsExactly(Status.FAIL, Status.PASS);
            connection.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void aListenerThatThrowsIsSkippedAndTheOthersStillHear() throws Exception {
        RedisClient client = RedisClient.create(resources, server.uri());
        try (RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(resources).build()) {
            List<Status> heard = new CopyOnWriteArrayList<>();
            watchdog.onChange(r -> {
                throw new IllegalStateException("listener bug");
            });
            watchdog.onChange(r -> heard.add(r.status()));
            StatefulRedisConnection<String, String> connection = client.connect();
            await().atMost(Duration.ofSeconds(2)).until(() -> watchdog.currentResult().output().orElse("").startsWith("connected"));

            long id = connection.sync().clientId();
            RedisClient admin = RedisClient.create(server.uri()); // its own resources: not watched
            try (StatefulRedisConnection<String, String> adminConnection = admin.connect()) {
                assertThat(adminConnection.sync().clientKill(KillArgs.Builder.id(id))).isEqualTo(1L);
            } finally {
                admin.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
            await().atMost(Duration.ofSeconds(2)).until(() -> heard.contains(Status.PASS) || heard.contains(Status.FAIL));

            assertThat(heard).first().isEqualTo(Status.FAIL);
            await().atMost(Duration.ofSeconds(3)).until(() -> watchdog.status() == Status.PASS);
            connection.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void closingTheLastConnectionOnPurposeIsNotALoss() {
        RedisClient client = RedisClient.create(resources, server.uri());
        try (RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).build()) {
            StatefulRedisConnection<String, String> connection = client.connect();
            await().atMost(Duration.ofSeconds(2)).until(() -> watchdog.currentResult().output().orElse("").startsWith("connected: 1"));

            connection.close();

            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(watchdog.currentResult().output()).get().asString().startsWith("connected: 0"));
            assertThat(watchdog.status()).isEqualTo(Status.PASS);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void registrationReportsAtOnceAndNamesItself() {
        RedisClient client = RedisClient.create(resources, server.uri());
        try (RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).successThreshold(2).build()) {
            assertThat(watchdog.registration().name()).isEqualTo("redis:connection");
            assertThat(watchdog.registration().failureThreshold()).isEqualTo(1);
            assertThat(watchdog.registration().successThreshold()).isEqualTo(2);
            assertThat(watchdog.status()).isEqualTo(Status.PASS);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }
}
