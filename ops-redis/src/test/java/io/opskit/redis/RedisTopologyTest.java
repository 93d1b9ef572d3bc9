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

/** Replication and Redis Cluster against real servers: a master with a replica, and a one-node cluster. */
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
    void theClusterCheckFailsUntilEverySlotIsServedAndThenPassesThroughAClusterConnection() throws Exception {
        Path dir = Files.createTempDirectory("opskit-redis-cluster");
        try (EmbeddedRedis node = EmbeddedRedis.start("cluster-enabled yes", "dir " + dir,
                "cluster-node-timeout 2000")) {
            RedisClient plain = RedisClient.create(node.uri());
            try (StatefulRedisConnection<String, String> admin = plain.connect()) {
                Result noSlots = RedisHealth.builder(RedisTarget.of(admin)).build().cluster().check().check();
                assertThat(noSlots.status()).isEqualTo(Status.FAIL);
                assertThat(noSlots.details()).containsEntry("state", "fail").containsEntry("slotsAssigned", 0L);

                admin.sync().clusterAddSlots(IntStream.range(0, 16384).toArray());
                await().atMost(Duration.ofSeconds(5)).until(() -> admin.sync().clusterInfo().contains("cluster_state:ok"));
            } finally {
                plain.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }

            RedisClusterClient clusterClient = RedisClusterClient.create(node.uri());
            try (StatefulRedisClusterConnection<String, String> cluster = clusterClient.connect()) {
                RedisHealth health = RedisHealth.builder(RedisTarget.of(cluster)).build();

                Result result = health.cluster().check().check();

                assertThat(health.registrations()).extracting(CheckRegistration::name).contains("redis:cluster");
                assertThat(result.status()).isEqualTo(Status.PASS);
                assertThat(result.output()).contains("cluster state ok, all 16384 slots ok");
                assertThat(result.details()).containsEntry("knownNodes", 1L);
                assertThat(health.responseTime().check().check().status()).isEqualTo(Status.PASS);
            } finally {
                clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
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
