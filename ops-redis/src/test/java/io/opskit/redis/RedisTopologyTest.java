package io.opskit.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Result;
import io.opskit.core.Status;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Replication and Redis Cluster against real servers: a master with a replica, and a two-node cluster. */
class RedisTopologyTest {

    @Test
    void aReplicaPassesWhileItsMasterLinkIsUpAndFailsWhenItsMasterDies() throws Exception {
        try (EmbeddedRedis master = EmbeddedRedis.start();
             EmbeddedRedis replica = EmbeddedRedis.start("replicaof 127.0.0.1 " + master.port(),
                     "repl-diskless-load swapdb")) {
            RedisTarget toMaster = RedisTarget.of(master.uri());
            RedisTarget toReplica = RedisTarget.of(replica.uri());
            try (toMaster; toReplica) {
                CheckRegistration onReplica = RedisHealth.builder(toReplica).commandTimeout(Duration.ofSeconds(3)).build()
                        .replication();
                await().atMost(Duration.ofSeconds(8)).ignoreExceptions().until(() -> onReplica.check().check().status() == Status.PASS);
                Result masterView = RedisHealth.builder(toMaster).commandTimeout(Duration.ofSeconds(3)).build().replication().check().check();

                assertThat(onReplica.check().check().details()).containsEntry("role", "slave")
                        .containsEntry("masterLinkStatus", "up");
                assertThat(masterView.details()).containsEntry("role", "master").containsEntry("connectedReplicas", 1L);

                master.stop();
                await().atMost(Duration.ofSeconds(5)).until(() -> onReplica.check().check().status() == Status.FAIL);
                assertThat(onReplica.check().check().output()).get().asString().contains("link to its master is down");
            }
        }
    }

    @Test
    void aTwoNodeClusterIsJudgedNodeByNodeAndItsStateThroughClusterInfo() throws Exception {
        Path dir1 = Files.createTempDirectory("opskit-redis-cluster");
        Path dir2 = Files.createTempDirectory("opskit-redis-cluster");
        try (EmbeddedRedis node1 = EmbeddedRedis.start("cluster-enabled yes", "dir " + dir1, "cluster-node-timeout 2000");
             EmbeddedRedis node2 = EmbeddedRedis.start("cluster-enabled yes", "dir " + dir2, "cluster-node-timeout 2000")) {
            RedisClient plain = RedisClient.create();
            try (StatefulRedisConnection<String, String> admin1 = plain.connect(node1.uri());
                 StatefulRedisConnection<String, String> admin2 = plain.connect(node2.uri())) {
                Result noSlots = RedisHealth.builder(RedisTarget.of(admin1)).build().cluster().check().check();
                assertThat(noSlots.status()).isEqualTo(Status.FAIL);
                assertThat(noSlots.details()).containsEntry("state", "fail").containsEntry("slotsAssigned", 0L);

                admin1.sync().clusterMeet("127.0.0.1", node2.port());
                admin1.sync().clusterAddSlots(IntStream.range(0, 8192).toArray());
                admin2.sync().clusterAddSlots(IntStream.range(8192, 16384).toArray());
                await().atMost(Duration.ofSeconds(10)).until(() -> admin1.sync().clusterInfo().contains("cluster_state:ok")
                        && admin2.sync().clusterInfo().contains("cluster_state:ok"));

                RedisClusterClient clusterClient = RedisClusterClient.create(node1.uri());
                RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(clusterClient).build();
                try (watchdog; StatefulRedisClusterConnection<String, String> cluster = clusterClient.connect()) {
                    RedisHealth health = RedisHealth.builder(RedisTarget.of(cluster)).hitRatioMinLookups(10).build();
                    CheckRegistration hitRatio = health.hitRatio();
                    admin1.sync().configResetstat();
                    admin2.sync().configResetstat();
                    hitRatio.check().check();
                    for (int i = 0; i < 20; i++) {
                        cluster.sync().set("key" + i, "v");
                    }
                    for (int i = 0; i < 20; i++) {
                        cluster.sync().get("key" + i);  // hits, spread over both nodes by slot
                    }
                    for (int i = 0; i < 5; i++) {
                        cluster.sync().get("absent" + i);
                    }
                    long used2 = Long.parseLong(RedisInfo.parse(admin2.sync().info("memory")).get("used_memory").orElseThrow());
                    admin2.sync().configSet("maxmemory", String.valueOf(used2 * 100 / 89));

                    Result state = health.cluster().check().check();
                    Result memory = health.memory().check().check();
                    Result ratio = hitRatio.check().check();
                    Result connections = health.connections().check().check();

                    assertThat(health.registrations()).extracting(CheckRegistration::name).contains("redis:cluster");
                    assertThat(state.status()).isEqualTo(Status.PASS);
                    assertThat(state.output()).contains("cluster state ok, all 16384 slots ok");
                    assertThat(state.details()).containsEntry("knownNodes", 2L);
                    assertThat(memory.status()).isEqualTo(Status.WARN);
                    assertThat(memory.output()).get().asString().startsWith("node 127.0.0.1:" + node2.port());
                    assertThat(memory.details()).containsEntry("node", "127.0.0.1:" + node2.port());
                    assertThat((java.util.Map<?, ?>) memory.details().get("nodes")).hasSize(2);
                    assertThat(ratio.observedValue()).contains(80.0);
                    assertThat(ratio.details()).containsEntry("hits", 20L).containsEntry("misses", 5L);
                    assertThat((java.util.Map<?, ?>) connections.details().get("connectedByNode")).hasSize(2);
                    assertThat(health.responseTime().check().check().status()).isEqualTo(Status.PASS);
                    // the topology discovery opens and closes connections of its own: not a loss
                    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> watchdog.status() == Status.PASS);
                } finally {
                    clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                }
            } finally {
                plain.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void clusterStateIsJudgedFromClusterInfo() {
        Result pfail = ClusterCheck.judge(RedisInfo.parse("cluster_state:ok\r\ncluster_slots_assigned:16384\r\n"
                + "cluster_slots_ok:16000\r\ncluster_slots_pfail:384\r\ncluster_slots_fail:0\r\ncluster_known_nodes:6\r\n"));
        Result failed = ClusterCheck.judge(RedisInfo.parse("cluster_state:fail\r\ncluster_slots_assigned:16384\r\n"
                + "cluster_slots_ok:10000\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:6384\r\n"));

        assertThat(pfail.status()).isEqualTo(Status.WARN);
        assertThat(pfail.output()).contains("cluster state ok, but 384 slots possibly failing and 0 unassigned");
        assertThat(failed.status()).isEqualTo(Status.FAIL);
        assertThat(failed.details()).containsEntry("slotsFail", 6384L);
    }
}
