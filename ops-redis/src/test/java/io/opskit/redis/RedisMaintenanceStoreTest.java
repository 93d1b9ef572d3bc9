package io.opskit.redis;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.opskit.core.maintenance.MaintenanceState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RedisMaintenanceStoreTest {

    private static EmbeddedRedis server;
    private static ClientResources resources;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> adminConnection;
    private static RedisCommands<String, String> admin;

    @BeforeAll
    static void startRedis() {
        server = EmbeddedRedis.start();
        resources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(200))).build();
        adminClient = RedisClient.create(server.uri());
        adminConnection = adminClient.connect();
        admin = adminConnection.sync();
    }

    @AfterAll
    static void stopRedis() {
        adminConnection.close();
        adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        resources.shutdown(0, 1, TimeUnit.SECONDS);
        server.close();
    }

    /** An instance of the fleet: its own client, as a separate application would have. */
    private static RedisMaintenanceStore instance(String key) throws Exception {
        // re-reads the key only every hour: whatever another instance hears within a test came through pub/sub
        // and a command timeout generous enough that a loaded CI machine does not turn a slow connect into a retry
        return RedisMaintenanceStore.builder(server.uri()).key(key).channel(key).interval(Duration.ofHours(1))
                .commandTimeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void switchingMaintenanceOnInOneInstanceIsPushedToAnotherThroughPubSub() throws Exception {
        try (RedisMaintenanceStore a = instance("fleet1"); RedisMaintenanceStore b = instance("fleet1")) {
            List<MaintenanceState> heard = new CopyOnWriteArrayList<>();
            b.subscribe(heard::add);
            Instant end = Instant.now().plus(30, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

            a.write(MaintenanceState.on("database upgrade", Optional.of(end), "programmatic"));

            await().atMost(Duration.ofSeconds(30)).until(() -> !heard.isEmpty());
            MaintenanceState seen = heard.get(0);
            assertThat(seen.enabled()).isTrue();
            assertThat(seen.reason()).isEqualTo("database upgrade");
            assertThat(seen.expectedEnd()).contains(end);
            assertThat(seen.source()).isEqualTo("redis");
            assertThat(b.read()).get().extracting(MaintenanceState::enabled).isEqualTo(true);
            assertThat(admin.get("fleet1")).contains("\"setBy\":\"programmatic\"");

            a.write(MaintenanceState.off("programmatic"));
            await().atMost(Duration.ofSeconds(30)).until(() -> heard.size() == 2);
            assertThat(heard.get(1).enabled()).isFalse();
        }
    }

    @Test
    void readIsEmptyUntilAStateWasWritten() throws Exception {
        try (RedisMaintenanceStore store = instance("fresh")) {
            assertThat(store.read()).isEmpty();
            Result check = store.registration().check().check();
            assertThat(check.status()).isEqualTo(Status.PASS);
            assertThat(check.output()).get().asString().contains("no state set yet");
        }
    }

    @Test
    void anOperatorCanSwitchTheFleetFromRedisCli() throws Exception {
        try (RedisMaintenanceStore store = instance("cli")) {
            List<MaintenanceState> heard = new CopyOnWriteArrayList<>();
            store.subscribe(heard::add);
            String value = "{\"enabled\":true,\"reason\":\"db upgrade\",\"expectedEnd\":\"2026-11-23T22:00:00Z\"}";

            admin.set("cli", value);
            admin.publish("cli", value);

            await().atMost(Duration.ofSeconds(30)).until(() -> !heard.isEmpty());
            assertThat(heard.get(0).expectedEnd()).contains(Instant.parse("2026-11-23T22:00:00Z"));
            assertThat(store.read()).get().extracting(MaintenanceState::reason).isEqualTo("db upgrade");
        }
    }

    @Test
    void aListenerHearsAChangeOnceHoweverOftenTheSameStateArrives() throws Exception {
        try (RedisMaintenanceStore store = instance("once")) {
            List<MaintenanceState> heard = new CopyOnWriteArrayList<>();
            store.subscribe(heard::add);
            String on = "{\"enabled\":true,\"reason\":\"db upgrade\",\"since\":\"2026-12-02T10:00:00Z\"}";
            // the subscription's re-read and the message may both bring it: either way it is one change
            admin.set("once", on);
            admin.publish("once", on);
            await().atMost(Duration.ofSeconds(30)).until(() -> !heard.isEmpty());
            // a repeat (an operator publishing twice, an instance restoring a state every other instance knows)
            admin.publish("once", on);
            String off = "{\"enabled\":false,\"since\":\"2026-12-02T10:05:00Z\"}";
            admin.set("once", off);
            admin.publish("once", off);
            await().atMost(Duration.ofSeconds(30)).until(() -> heard.stream().anyMatch(s -> !s.enabled()));
            assertThat(heard).extracting(MaintenanceState::enabled).containsExactly(true, false);
        }
    }

    @Test
    void anInstanceThatWasDisconnectedRereadsTheKeyWhenItsSubscriptionIsBack() throws Exception {
        RedisClient slowClient = RedisClient.create(resources);
        try (RedisMaintenanceStore b = RedisMaintenanceStore.builder(slowClient, server.uri()).key("missed").channel("missed").build()) {
            List<MaintenanceState> heard = new CopyOnWriteArrayList<>();
            b.subscribe(heard::add);

            // cut every subscriber off, then change the key without publishing: only a re-read can find it
            assertThat(admin.clientKill(KillArgs.Builder.typePubsub())).isPositive();
            admin.set("missed", MaintenanceJson.write(MaintenanceState.on("missed while away", Optional.empty(), "operator")));

            await().atMost(Duration.ofSeconds(2)).until(() -> !heard.isEmpty());
            assertThat(heard.get(0).reason()).isEqualTo("missed while away");
            assertThat(b.lastKnown()).get().extracting(MaintenanceState::enabled).isEqualTo(true);
        } finally {
            slowClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void whileRedisIsDownTheLastKnownStateStandsAndARestartLosesNoStateThatWasSet() throws Exception {
        RedisClient clientA = RedisClient.create(resources);
        RedisClient clientB = RedisClient.create(resources);
        try (RedisMaintenanceStore a = RedisMaintenanceStore.builder(clientA, server.uri()).key("durable").channel("durable").interval(Duration.ofHours(1))
                     .commandTimeout(Duration.ofMillis(300)).build();
             RedisMaintenanceStore b = RedisMaintenanceStore.builder(clientB, server.uri()).key("durable").channel("durable").interval(Duration.ofHours(1))
                     .commandTimeout(Duration.ofMillis(300)).build()) {
            a.write(MaintenanceState.on("failover drill", Optional.empty(), "programmatic"));
            await().atMost(Duration.ofSeconds(30)).until(() -> b.lastKnown().map(MaintenanceState::enabled).orElse(false));

            server.stop();
            Optional<MaintenanceState> duringOutage = b.read();
            Result check = b.registration().check().check();

            assertThat(duringOutage).get().extracting(MaintenanceState::reason).isEqualTo("failover drill");
            assertThat(check.status()).isEqualTo(Status.WARN);
            assertThat(check.output()).get().asString().contains("last known state stands")
                    .contains("maintenance on (failover drill)");
            assertThat(b.registration().critical()).isFalse();

            server.restart(); // empty: no persistence
            await().atMost(Duration.ofSeconds(5)).until(() -> admin.get("durable") != null);
            try (RedisMaintenanceStore newcomer = instance("durable")) {
                assertThat(newcomer.read()).get().extracting(MaintenanceState::reason).isEqualTo("failover drill");
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> b.registration().check().check().status() == Status.PASS);
        } finally {
            clientA.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            clientB.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void anUnreadableValueIsReportedAndTheLastKnownStateStands() throws Exception {
        try (RedisMaintenanceStore store = instance("garbled")) {
            store.write(MaintenanceState.on("known", Optional.empty(), "programmatic"));
            admin.set("garbled", "on please");

            assertThat(store.read()).get().extracting(MaintenanceState::reason).isEqualTo("known");
            Result check = store.registration().check().check();
            assertThat(check.status()).isEqualTo(Status.WARN);
            assertThat(check.output()).get().asString().contains("not JSON");
        }
    }

    @Test
    void builderRejectsBadNames() {
        assertThatThrownBy(() -> RedisMaintenanceStore.builder(server.uri()).key("has space"))
                .hasMessageContaining("key must be 1 to 200 characters without spaces, but was 'has space'");
        assertThatThrownBy(() -> RedisMaintenanceStore.builder(server.uri()).retryInterval(Duration.ZERO))
                .hasMessageContaining("retryInterval must be positive, but was PT0S");
    }

    @Test
    void aStoreBuiltWhileRedisIsDownFollowsOnceItIsUp() throws Exception {
        int port = EmbeddedRedis.freePort();
        io.lettuce.core.RedisURI uri = io.lettuce.core.RedisURI.create("redis://127.0.0.1:" + port);
        try (RedisMaintenanceStore store = RedisMaintenanceStore.builder(uri).key("late").channel("late")
                .commandTimeout(Duration.ofMillis(500)).retryInterval(Duration.ofMillis(200)).build()) {
            List<MaintenanceState> heard = new CopyOnWriteArrayList<>();
            store.subscribe(heard::add);

            Result down = store.registration().check().check();
            assertThat(down.status()).isEqualTo(Status.WARN);
            assertThat(down.output()).get().asString().contains("not connected to redis://127.0.0.1:" + port);
            assertThatThrownBy(() -> store.write(MaintenanceState.off("programmatic"))).hasMessageContaining("not connected");
            assertThatThrownBy(store::read).hasMessageContaining("not connected");

            try (EmbeddedRedis late = EmbeddedRedis.startOn(port)) {
                RedisClient lateAdmin = RedisClient.create(late.uri());
                try (StatefulRedisConnection<String, String> c = lateAdmin.connect()) {
                    c.sync().set("late", MaintenanceJson.write(MaintenanceState.on("set before we connected",
                            Optional.empty(), "operator")));
                    await().atMost(Duration.ofSeconds(5)).until(() -> !heard.isEmpty());
                    assertThat(heard.get(0).reason()).isEqualTo("set before we connected");
                    assertThat(store.registration().check().check().status()).isEqualTo(Status.PASS);
                } finally {
                    lateAdmin.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                }
            }
        }
    }
}
