package io.opskit.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Result;
import io.opskit.core.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisHealthTest {

    private static EmbeddedRedis server;
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> redis;

    @BeforeAll
    static void startRedis() {
        server = EmbeddedRedis.start();
        client = RedisClient.create(server.uri());
        connection = client.connect();
        redis = connection.sync();
    }

    @AfterAll
    static void stopRedis() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        server.close();
    }

    private static RedisHealth health() {
        return RedisHealth.builder(RedisTarget.of(connection)).build();
    }

    @Test
    void responseTimePassesWithThePingRoundTripInMillis() throws Exception {
        CheckRegistration r = health().responseTime();

        Result result = r.check().check();

        assertThat(r.name()).isEqualTo("redis:responseTime");
        assertThat(r.componentType()).isEqualTo("datastore");
        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.observedUnit()).contains("ms");
        assertThat((Double) result.observedValue().orElseThrow()).isBetween(0.0, 250.0);
    }

    @Test
    void responseTimeFailsAtItsTimeoutAgainstAPeerThatAcceptsAndNeverAnswers() throws Exception {
        try (HangingPeer peer = new HangingPeer();
             RedisTarget target = RedisTarget.of(RedisURI.create("redis://:s3cret@127.0.0.1:" + peer.port()))) {
            RedisHealth health = RedisHealth.builder(target).commandTimeout(Duration.ofMillis(300)).build();

            long start = System.nanoTime();
            Result result = health.responseTime().check().check();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(result.status()).isEqualTo(Status.FAIL);
            assertThat(result.output()).get().asString().contains("no answer within 300 ms").doesNotContain("s3cret");
            assertThat(tookMillis).isBetween(250L, 1_500L);
            assertThat(peer.acceptedConnections()).isEqualTo(1);

            // a second run shares the connect still in flight instead of piling up connections
            assertThat(health.responseTime().check().check().status()).isEqualTo(Status.FAIL);
            assertThat(peer.acceptedConnections()).isEqualTo(1);
        }
    }

    @Test
    void responseTimeThrowsTheRefusalWhenNothingListensWhichTheEngineReportsAsFail() throws Exception {
        try (RedisTarget target = RedisTarget.of(RedisURI.create("redis://127.0.0.1:" + EmbeddedRedis.freePort()))) {
            CheckRegistration r = RedisHealth.builder(target).commandTimeout(Duration.ofSeconds(2)).build().responseTime();

            // refused at once: the exception is the refusal, not the 2 s command timeout
            assertThatThrownBy(() -> r.check().check()).isInstanceOf(io.lettuce.core.RedisConnectionException.class)
                    .hasMessageContaining("127.0.0.1").hasMessageNotContaining("timed out");
        }
    }

    @Test
    void responseTimeFailsAtItsTimeoutWhenTheServerOfAnOpenConnectionStopsAnswering() throws Exception {
        RedisClient other = RedisClient.create(server.uri());
        try (StatefulRedisConnection<String, String> blocker = other.connect()) {
            CheckRegistration r = RedisHealth.builder(RedisTarget.of(blocker)).commandTimeout(Duration.ofMillis(300))
                    .build().responseTime();
            // the server answers nobody for 1.5 s; sent on the same connection, so it is ahead of the PING
            var sleeping = blocker.async().dispatch(CommandType.DEBUG, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("SLEEP").add("1.5"));

            long start = System.nanoTime();
            Result result = r.check().check();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(result.status()).isEqualTo(Status.FAIL);
            assertThat(result.output()).get().asString().contains("PING got no answer within 300 ms");
            assertThat(tookMillis).isBetween(250L, 1_200L);
            sleeping.get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.check().check().status()).isEqualTo(Status.PASS);
        } finally {
            other.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void aTargetOnTheApplicationsClientOpensItsOwnConnectionAndLeavesTheClientOpen() throws Exception {
        try (RedisTarget target = RedisTarget.of(client)) {
            RedisHealth health = RedisHealth.builder(target).build();

            assertThat(health.responseTime().check().check().status()).isEqualTo(Status.PASS);
            assertThat(health.memory().check().check().status()).isEqualTo(Status.PASS);
        }
        assertThat(redis.ping()).isEqualTo("PONG");
    }

    @Test
    void targetDescriptionNeverShowsThePassword() {
        try (RedisTarget target = RedisTarget.of(RedisURI.create("redis://user:hunter2@cache.internal:6380/0"))) {
            assertThat(target.description()).doesNotContain("hunter2").contains("cache.internal:6380");
        }
    }

    @Test
    void memoryIsJudgedAgainstMaxmemorySetWithConfigSet() throws Exception {
        RedisHealth health = health();
        try {
            long used = Long.parseLong(RedisInfo.parse(redis.info("memory")).get("used_memory").orElseThrow());
            redis.configSet("maxmemory", String.valueOf(used * 100 / 50));
            Result pass = health.memory().check().check();
            redis.configSet("maxmemory", String.valueOf(used * 100 / 89));
            Result warn = health.memory().check().check();
            redis.configSet("maxmemory", String.valueOf(used * 100 / 98));
            Result fail = health.memory().check().check();

            assertThat(pass.status()).isEqualTo(Status.PASS);
            assertThat(pass.details()).containsEntry("limitSource", "maxmemory").containsKey("fragmentationRatio")
                    .containsEntry("evictionPolicy", "noeviction");
            assertThat(warn.status()).isEqualTo(Status.WARN);
            assertThat((Double) warn.observedValue().orElseThrow()).isBetween(85.0, 95.0);
            assertThat(fail.status()).isEqualTo(Status.FAIL);
            assertThat(fail.output()).get().asString().contains("of maxmemory");
        } finally {
            redis.configSet("maxmemory", "0");
        }
    }

    @Test
    void memoryWithoutMaxmemoryIsJudgedAgainstTheConfiguredLimitOrTheHostAndSaysWhich() throws Exception {
        Result host = health().memory().check().check();
        Result configured = RedisHealth.builder(RedisTarget.of(connection)).memoryLimitBytes(1024).build()
                .memory().check().check();

        assertThat(host.details()).containsEntry("limitSource", "host").containsEntry("maxmemory", 0L);
        assertThat(host.output()).get().asString().contains("host's memory");
        assertThat(host.status()).isEqualTo(Status.PASS);
        assertThat(configured.details()).containsEntry("limitSource", "configured").containsEntry("limitBytes", 1024L);
        assertThat(configured.status()).isEqualTo(Status.FAIL);
    }

    @Test
    void hitRatioIsJudgedOnTheLookupsOfTheWindowFromRealGets() throws Exception {
        MutableClock clock = new MutableClock();
        RedisHealth health = RedisHealth.builder(RedisTarget.of(connection)).hitRatioMinLookups(50)
                .hitRatioWindow(Duration.ofMinutes(5)).clock(clock).build();
        HealthCheckRunner check = new HealthCheckRunner(health.hitRatio());
        redis.configResetstat();
        redis.set("present", "1");

        Result first = check.run();
        gets(95, 5);
        Result high = check.run();
        gets(0, 40);
        Result low = check.run();
        clock.advance(Duration.ofMinutes(6));
        gets(85, 15);
        Result lastWindowOnly = check.run();

        assertThat(first.status()).isEqualTo(Status.PASS);
        assertThat(first.output()).get().asString().startsWith("not judged: 0 lookups");
        assertThat(high.status()).isEqualTo(Status.PASS);
        assertThat(high.observedValue()).contains(95.0);
        assertThat(low.status()).isEqualTo(Status.FAIL);
        assertThat(low.observedValue()).contains(67.9);
        assertThat(lastWindowOnly.status()).isEqualTo(Status.WARN);
        assertThat(lastWindowOnly.observedValue()).contains(85.0);
        assertThat(lastWindowOnly.details()).containsEntry("hits", 85L).containsEntry("misses", 15L);
    }

    @Test
    void hitRatioIsNotJudgedUntilEnoughLookupsHappened() throws Exception {
        HealthCheckRunner check = new HealthCheckRunner(RedisHealth.builder(RedisTarget.of(connection))
                .hitRatioMinLookups(100).build().hitRatio());
        redis.configResetstat();
        check.run();
        gets(0, 20);

        Result result = check.run();

        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.output()).get().asString().contains("not judged: 20 lookups").contains("need 100");
    }

    @Test
    void connectionsAreJudgedAgainstMaxclientsAndRejectionsCountAsADelta() throws Exception {
        RedisHealth health = health();
        HealthCheckRunner check = new HealthCheckRunner(health.connections());
        List<StatefulRedisConnection<String, String>> extra = new ArrayList<>();
        try {
            Result relaxed = check.run();
            long connected = (Long) relaxed.details().get("connected");
            redis.configSet("maxclients", String.valueOf(connected + 2));
            extra.add(client.connect());
            extra.add(client.connect());
            assertThatThrownBy(client::connect).isInstanceOf(io.lettuce.core.RedisConnectionException.class);

            Result full = check.run();
            Result again = check.run();

            assertThat(relaxed.status()).isEqualTo(Status.PASS);
            assertThat(relaxed.details()).containsEntry("maxclients", 10000L).containsEntry("role", "master");
            assertThat(full.status()).isEqualTo(Status.FAIL);
            assertThat(full.observedValue()).contains(100.0);
            assertThat(full.details()).containsEntry("rejectedSinceLastCheck", 1L);
            assertThat(full.output()).get().asString().contains("1 connections rejected since the last check");
            assertThat(again.details()).containsEntry("rejectedSinceLastCheck", 0L);
        } finally {
            extra.forEach(StatefulRedisConnection::close);
            redis.configSet("maxclients", "10000");
        }
    }

    @Test
    void replicationReportsTheRoleOfAMaster() throws Exception {
        Result result = health().replication().check().check();

        assertThat(result.status()).isEqualTo(Status.PASS);
        assertThat(result.details()).containsEntry("role", "master").containsEntry("connectedReplicas", 0L);
    }

    @Test
    void clusterCheckIsOnlyRegisteredForAClusterAndFailsAgainstAStandaloneServer() throws Exception {
        RedisHealth health = health();

        assertThat(health.registrations()).extracting(CheckRegistration::name).containsExactly(
                "redis:responseTime", "redis:memory", "redis:hitRatio", "redis:connections", "redis:replication");
        assertThatThrownBy(() -> health.cluster().check().check()).hasMessageContaining("cluster support disabled");
    }

    @Test
    void onlyPingAndClusterAreCriticalByDefaultAndNothingIsInCacheMode() {
        RedisHealth defaults = health();
        RedisHealth cache = RedisHealth.builder(RedisTarget.of(connection)).cacheMode(true).build();

        assertThat(defaults.registrations()).filteredOn(CheckRegistration::critical).extracting(CheckRegistration::name)
                .containsExactly("redis:responseTime");
        assertThat(defaults.cluster().critical()).isTrue();
        assertThat(defaults.isCritical("redis:hitRatio")).isFalse();
        assertThat(cache.cacheMode()).isTrue();
        assertThat(cache.registrations()).hasSize(5).noneMatch(CheckRegistration::critical);
        assertThat(cache.cluster().critical()).isFalse();
    }

    @Test
    void aPerCheckCriticalOverrideWinsOverTheDefaultAndCacheModeInEitherOrder() {
        RedisHealth strict = RedisHealth.builder(RedisTarget.of(connection)).critical("redis:hitRatio", true)
                .critical("redis:responseTime", false).build();
        RedisHealth cacheButPing = RedisHealth.builder(RedisTarget.of(connection)).critical("redis:responseTime", true)
                .cacheMode(true).build();

        assertThat(strict.hitRatio().critical()).isTrue();
        assertThat(strict.responseTime().critical()).isFalse();
        assertThat(strict.memory().critical()).isFalse();
        assertThat(cacheButPing.registrations()).filteredOn(CheckRegistration::critical).extracting(CheckRegistration::name)
                .containsExactly("redis:responseTime");
    }

    @Test
    void anUnknownCheckNameIsRejectedNamingTheChecksThereAre() {
        RedisHealth.Builder b = RedisHealth.builder(RedisTarget.of(connection));

        assertThatThrownBy(() -> b.critical("redis:hitratio", true)).hasMessage("checkName must name a check of RedisHealth, "
                + "but was 'redis:hitratio' (did you mean 'redis:hitRatio'?): use one of redis:responseTime, redis:memory, "
                + "redis:hitRatio, redis:connections, redis:replication, redis:cluster");
        assertThatThrownBy(() -> b.critical("redis:connection", false)).hasMessageContaining(
                "redis:connection is the watchdog's; use RedisConnectionWatchdog.builder(client).critical(...)");
        assertThatThrownBy(() -> b.critical(null, false)).hasMessageContaining("but was 'null'");
        assertThatThrownBy(() -> health().isCritical("redis:ping")).hasMessageStartingWith("name must name a check of RedisHealth");
    }

    @Test
    void gaugesShowTheFiguresOfTheLatestInfo() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RedisHealth health = RedisHealth.builder(RedisTarget.of(connection)).memoryLimitBytes(1L << 30).build();
        health.bindTo(registry);
        assertThat(registry.get("opskit.redis.memory.used").gauge().value()).isNaN();

        for (CheckRegistration r : health.registrations()) {
            r.check().check();
        }

        assertThat(registry.get("opskit.redis.memory.used").gauge().value()).isPositive();
        assertThat(registry.get("opskit.redis.memory.limit").gauge().value()).isEqualTo((double) (1L << 30));
        assertThat(registry.get("opskit.redis.memory.utilization").gauge().value()).isBetween(0.0, 1.0);
        assertThat(registry.get("opskit.redis.clients.connected").gauge().value()).isGreaterThanOrEqualTo(1.0);
        assertThat(registry.get("opskit.redis.clients.max").gauge().value()).isEqualTo(10000.0);
        assertThat(registry.get("opskit.redis.keyspace.hits").functionCounter().count()).isGreaterThanOrEqualTo(0.0);
        assertThat(registry.get("opskit.redis.ping").timeGauge().value()).isPositive();
        assertThat(registry.get("opskit.redis.memory.used").gauge().getId().getBaseUnit()).isEqualTo("bytes");
        assertThat(registry.get("opskit.redis.memory.used").gauge().getId().getDescription()).isNotBlank();
    }

    @Test
    void builderRejectsBadSettingsNamingTheFieldAndTheFix() {
        RedisHealth.Builder b = RedisHealth.builder(RedisTarget.of(connection));

        assertThatThrownBy(() -> b.commandTimeout(Duration.ZERO)).hasMessage(
                "commandTimeout must be positive, but was PT0S: use e.g. Duration.ofMillis(500)");
        assertThatThrownBy(() -> b.memoryThresholds(95, 85)).hasMessageContaining("memoryThresholds")
                .hasMessageContaining("memoryThresholds(85, 95)");
        assertThatThrownBy(() -> b.memoryLimitBytes(0)).hasMessageContaining("memoryLimitBytes must be positive, but was 0");
    }

    private static void gets(int hits, int misses) {
        for (int i = 0; i < hits; i++) {
            redis.get("present");
        }
        for (int i = 0; i < misses; i++) {
            redis.get("absent:" + i);
        }
    }

    /** Runs one registration's check, as the engine would. */
    private static final class HealthCheckRunner {
        private final CheckRegistration registration;

        HealthCheckRunner(CheckRegistration registration) {
            this.registration = registration;
        }

        Result run() throws Exception {
            return registration.check().check();
        }
    }
}
