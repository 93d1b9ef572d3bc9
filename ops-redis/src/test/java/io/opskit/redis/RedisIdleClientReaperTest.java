package io.opskit.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.ActionEvent;
import io.opskit.core.Result;
import io.opskit.core.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class RedisIdleClientReaperTest {

    private static final int BULK = 100;
    private static EmbeddedRedis server;
    /** Clients of the "applications": no auto-reconnect, so a terminated one stays gone. */
    private static RedisClient apps;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> adminConnection;
    private static RedisCommands<String, String> admin;
    private static final List<StatefulConnection<String, String>> opened = new ArrayList<>();
    private static StatefulRedisConnection<String, String> busy;
    private static StatefulRedisConnection<String, String> ownApp;
    private static StatefulRedisConnection<String, String> ownReaper;

    @BeforeAll
    static void startRedis() {
        server = EmbeddedRedis.start();
        apps = RedisClient.create();
        apps.setOptions(ClientOptions.builder().autoReconnect(false).build());
        adminClient = RedisClient.create(server.uri());
        adminConnection = adminClient.connect();
        admin = adminConnection.sync();
        // every test's idle clients, opened once so the class waits for idleness once
        for (String name : List.of("a-worker-1", "a-worker-2", "a-keeper", "b-worker-1", "b-worker-2",
                "c-worker-1", "c-worker-2", "c-worker-3", "d-two")) {
            app(name);
        }
        // the application's own connection, its reaper's, and two strangers that took their names
        ownApp = app("f-app");
        ownReaper = app("f-reaper");
        app("f-app");
        app("f-reaper");
        busy = app("a-worker-busy");
        app("d-one");
        for (int i = 0; i < BULK; i++) {
            app("e-bulk-" + i);
        }
        StatefulRedisPubSubConnection<String, String> subscriber = apps.connectPubSub(
                RedisURI.builder(server.uri()).withClientName("a-worker-sub").build());
        opened.add(subscriber);
        subscriber.sync().subscribe("news");
        awaitIdle("a-worker-1", "a-worker-2", "a-keeper", "a-worker-sub", "b-worker-1", "b-worker-2",
                "c-worker-1", "c-worker-2", "c-worker-3", "d-one", "d-two", "e-bulk-0", "e-bulk-" + (BULK - 1));
    }

    @AfterAll
    static void stopRedis() {
        for (StatefulConnection<String, String> c : opened) {
            if (c.isOpen()) { // the terminated ones are closed already
                c.close();
            }
        }
        adminConnection.close();
        adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        apps.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        server.close();
    }

    private static StatefulRedisConnection<String, String> app(String name) {
        StatefulRedisConnection<String, String> c = apps.connect(RedisURI.builder(server.uri()).withClientName(name).build());
        opened.add(c);
        return c;
    }

    private static RedisTarget reaperTarget(String name) {
        return RedisTarget.of(app(name));
    }

    private static Set<String> namesInClientList() {
        return RedisClientInfo.parseList(admin.clientList()).stream().map(RedisClientInfo::name).collect(Collectors.toSet());
    }

    private static void awaitIdle(String... names) {
        await().atMost(Duration.ofSeconds(5)).until(() -> RedisClientInfo.parseList(admin.clientList()).stream()
                .filter(c -> Set.of(names).contains(c.name()))
                .filter(c -> c.idle().compareTo(Duration.ofSeconds(1)) > 0).count() == names.length);
    }

    @Test
    void terminatesExactlyTheIdleClientsThatMatchAndLeavesTheRest() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        io.opskit.core.OpsEvents events = io.opskit.core.OpsEvents.inMemory(100);
        RedisIdleClientReaper reaper = RedisIdleClientReaper.builder(reaperTarget("a-worker-reaper"))
                .idleThreshold(Duration.ofSeconds(1)).clientName("a-worker-.*")
                .meterRegistry(registry).events(events).build();
        busy.sync().ping();

        RedisReaperRun run = reaper.runOnce();

        assertThat(run.error()).isEmpty();
        assertThat(run.terminated()).extracting(RedisClientInfo::name).containsExactlyInAnyOrder("a-worker-1", "a-worker-2");
        assertThat(namesInClientList()).doesNotContain("a-worker-1", "a-worker-2")
                .contains("a-keeper", "a-worker-busy", "a-worker-sub", "a-worker-reaper");
        assertThat(registry.get("opskit.reaper.terminated").tag("component", "redis").tag("state", "idle").counter().count())
                .isEqualTo(2.0);
        assertThat(actions(events)).hasSize(2).allSatisfy(e -> {
            assertThat(e.source()).isEqualTo("redis:reaper");
            assertThat(e.action()).isEqualTo("terminate");
        });
        assertThat(actions(events)).extracting(ActionEvent::details).extracting(d -> d.get("name"))
                .containsExactlyInAnyOrder("a-worker-1", "a-worker-2");
        Result check = reaper.registration().check().check();
        assertThat(check.status()).isEqualTo(Status.PASS);
        assertThat(check.details()).containsEntry("terminated", 2);
        assertThat(check.output()).get().asString().startsWith("terminated 2 idle clients of");
    }

    @Test
    void itsOwnAndProtectedConnectionsAreToldApartFromNamesakesById() throws Exception {
        long appId = ownApp.sync().clientId();
        long reaperId = ownReaper.sync().clientId();
        await().atMost(Duration.ofSeconds(5)).until(() -> RedisClientInfo.parseList(admin.clientList()).stream()
                .filter(c -> c.name().startsWith("f-") && c.idle().compareTo(Duration.ofSeconds(1)) > 0).count() == 4);
        List<RedisClientInfo> namesakes = RedisClientInfo.parseList(admin.clientList()).stream()
                .filter(c -> c.name().startsWith("f-") && c.id() != appId && c.id() != reaperId).toList();
        assertThat(namesakes).extracting(RedisClientInfo::name).containsExactlyInAnyOrder("f-app", "f-reaper");
        RedisIdleClientReaper reaper = RedisIdleClientReaper.builder(RedisTarget.of(ownReaper)).protect(ownApp)
                .idleThreshold(Duration.ofSeconds(1)).clientName("f-.*").build();
        // on a snapshot where all four are idle alike, only the ids tell them apart
        List<RedisClientInfo> snapshot = RedisClientInfo.parseList(admin.clientList());
        assertThat(reaper.select(snapshot, Set.of(appId, reaperId))).extracting(RedisClientInfo::id)
                .containsExactlyInAnyOrderElementsOf(namesakes.stream().map(RedisClientInfo::id).toList());

        RedisReaperRun run = reaper.runOnce();

        assertThat(run.error()).isEmpty();
        assertThat(run.terminated()).extracting(RedisClientInfo::id)
                .containsExactlyInAnyOrderElementsOf(namesakes.stream().map(RedisClientInfo::id).toList());
        Set<Long> left = RedisClientInfo.parseList(admin.clientList()).stream().map(RedisClientInfo::id).collect(Collectors.toSet());
        assertThat(left).contains(appId, reaperId).doesNotContainAnyElementsOf(namesakes.stream().map(RedisClientInfo::id).toList());
        assertThat(ownApp.sync().clientId()).isEqualTo(appId);   // the same connection, never killed and reconnected
        assertThatThrownBy(() -> RedisIdleClientReaper.builder(RedisTarget.of(ownReaper)).protect((StatefulConnection<?, ?>) null))
                .hasMessageContaining("connections must be standalone or pub/sub connections, but was null");
    }

    @Test
    void aDryRunTerminatesNothingAndSaysWhatItWouldHaveDone() throws Exception {
        RedisIdleClientReaper reaper = RedisIdleClientReaper.builder(reaperTarget("b-reaper"))
                .idleThreshold(Duration.ofSeconds(1)).clientName("b-worker-.*").dryRun(true).build();

        RedisReaperRun run = reaper.runOnce();

        assertThat(run.dryRun()).isTrue();
        assertThat(run.count()).isEqualTo(2);
        assertThat(namesInClientList()).contains("b-worker-1", "b-worker-2");
        assertThat(reaper.registration().check().check().output()).get().asString()
                .startsWith("would have terminated 2 idle clients");
    }

    @Test
    void theCapHoldsAndTheRestWaitForTheNextRun() throws Exception {
        RedisIdleClientReaper reaper = RedisIdleClientReaper.builder(reaperTarget("c-reaper"))
                .idleThreshold(Duration.ofSeconds(1)).clientName("c-worker-.*").maxPerRun(2).build();

        RedisReaperRun first = reaper.runOnce();
        Result afterFirst = reaper.registration().check().check();
        RedisReaperRun second = reaper.runOnce();

        assertThat(first.count()).isEqualTo(2);
        assertThat(first.skippedByCap()).isEqualTo(1);
        assertThat(afterFirst.status()).isEqualTo(Status.WARN);
        assertThat(afterFirst.output()).get().asString().contains("cap of 2 reached, 1 more wait for the next run");
        assertThat(second.count()).isEqualTo(1);
        assertThat(namesInClientList()).doesNotContain("c-worker-1", "c-worker-2", "c-worker-3");
    }

    @Test
    void anAddressFilterTerminatesOnlyThatClient() throws Exception {
        String address = RedisClientInfo.parseList(admin.clientList()).stream().filter(c -> c.name().equals("d-one"))
                .findFirst().orElseThrow().address();
        RedisIdleClientReaper reaper = RedisIdleClientReaper.builder(reaperTarget("d-reaper"))
                .idleThreshold(Duration.ofSeconds(1)).address(java.util.regex.Pattern.quote(address)).build();

        RedisReaperRun run = reaper.runOnce();

        assertThat(run.terminated()).extracting(RedisClientInfo::name).containsExactly("d-one");
        assertThat(namesInClientList()).doesNotContain("d-one").contains("d-two");
    }

    @Test
    void aHundredIdleClientsGoInOneRun() throws Exception {
        RedisIdleClientReaper reaper = RedisIdleClientReaper.builder(reaperTarget("e-reaper"))
                .idleThreshold(Duration.ofSeconds(1)).clientName("e-bulk-\\d+").maxPerRun(500).build();

        RedisReaperRun run = reaper.runOnce();    // one pipelined run; how long it takes is a benchmark's business
        assertThat(run.count()).isEqualTo(BULK);
        assertThat(namesInClientList()).noneMatch(n -> n.startsWith("e-bulk-"));
    }

    @Test
    void aFailedRunIsReportedNotThrown() throws Exception {
        try (RedisTarget unreachable = RedisTarget.of(RedisURI.create("redis://127.0.0.1:" + EmbeddedRedis.freePort()))) {
            RedisIdleClientReaper reaper = RedisIdleClientReaper.builder(unreachable).commandTimeout(Duration.ofMillis(500)).build();

            assertThat(reaper.registration().check().check().output()).contains("not run yet");
            RedisReaperRun run = reaper.runOnce();

            assertThat(run.error()).isPresent();
            assertThat(reaper.registration().check().check().status()).isEqualTo(Status.WARN);
        }
    }

    @Test
    void builderRejectsBadSettings() {
        RedisIdleClientReaper.Builder b = RedisIdleClientReaper.builder(RedisTarget.of(adminConnection));

        assertThatThrownBy(() -> b.idleThreshold(Duration.ofMillis(10))).hasMessageContaining("idleThreshold must be at least 1 second");
        assertThatThrownBy(() -> b.maxPerRun(0)).hasMessage("maxPerRun must be at least 1, but was 0: use dryRun(true) to terminate nothing");
        assertThatThrownBy(() -> b.clientName("(")).hasMessageContaining("clientName must be a regular expression, but was '('");
    }

    private static java.util.List<io.opskit.core.ActionEvent> actions(io.opskit.core.OpsEvents events) {
        return events.history().stream().filter(io.opskit.core.ActionEvent.class::isInstance)
                .map(io.opskit.core.ActionEvent.class::cast).toList();
    }
}
