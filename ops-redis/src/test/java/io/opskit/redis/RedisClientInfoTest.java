package io.opskit.redis;

import io.lettuce.core.RedisURI;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedisClientInfoTest {

    private static final String LIST = String.join("\n",
            "id=3 addr=127.0.0.1:50001 laddr=127.0.0.1:6379 fd=8 name=worker-1 age=900 idle=600 flags=N db=0 sub=0 psub=0"
                    + " multi=-1 qbuf=0 qbuf-free=0 argv-mem=0 obl=0 oll=0 omem=0 tot-mem=20496 events=r cmd=get user=default"
                    + " redir=-1 lib-name=jedis lib-ver=5.1.0",
            "id=4 addr=127.0.0.1:50002 laddr=127.0.0.1:6379 fd=9 name=worker-2 age=900 idle=700 flags=N db=0 sub=0 psub=0"
                    + " multi=-1 cmd=get user=default lib-name=lettuce",
            "id=5 addr=10.0.0.7:6380 laddr=127.0.0.1:6379 fd=10 name= age=900 idle=800 flags=S db=0 sub=0 psub=0 cmd=replconf user=default",
            "id=6 addr=127.0.0.1:50003 laddr=127.0.0.1:6379 fd=11 name=worker-sub age=900 idle=800 flags=P db=0 sub=1 psub=0 cmd=subscribe user=default",
            "id=7 addr=127.0.0.1:50004 laddr=127.0.0.1:6379 fd=12 name=worker-blpop age=900 idle=800 flags=b db=0 sub=0 psub=0 cmd=blpop user=default",
            "id=8 addr=127.0.0.1:50005 laddr=127.0.0.1:6379 fd=13 name=worker-own age=900 idle=900 flags=N db=0 sub=0 psub=0 cmd=client|list user=default",
            "id=9 addr=127.0.0.1:50006 laddr=127.0.0.1:6379 fd=14 name=worker-fresh age=10 idle=5 flags=N db=0 sub=0 psub=0 cmd=ping user=default",
            "garbage line without fields",
            "");

    private static RedisIdleClientReaper.Builder reaper() {
        return RedisIdleClientReaper.builder(RedisTarget.of(RedisURI.create("redis://127.0.0.1:1")))
                .idleThreshold(Duration.ofMinutes(1));
    }

    @Test
    void clientListIsParsedIncludingTheLibraryNameOfNewerServers() {
        List<RedisClientInfo> clients = RedisClientInfo.parseList(LIST);

        assertThat(clients).hasSize(7);
        RedisClientInfo first = clients.get(0);
        assertThat(first.id()).isEqualTo(3);
        assertThat(first.address()).isEqualTo("127.0.0.1:50001");
        assertThat(first.name()).isEqualTo("worker-1");
        assertThat(first.libraryName()).isEqualTo("jedis");
        assertThat(first.idle()).isEqualTo(Duration.ofMinutes(10));
        assertThat(clients.get(2).isReplica()).isTrue();
        assertThat(clients.get(3).isPubSub()).isTrue();
        assertThat(clients.get(4).isBlocked()).isTrue();
        assertThat(clients.get(2).name()).isEmpty();
        assertThat(clients.get(2).libraryName()).isEmpty();
    }

    @Test
    void selectionSkipsItsOwnConnectionReplicasSubscribersBlockedAndFreshClientsMostIdleFirst() {
        List<RedisClientInfo> chosen = reaper().build().select(RedisClientInfo.parseList(LIST), 8);

        assertThat(chosen).extracting(RedisClientInfo::id).containsExactly(4L, 3L);
    }

    @Test
    void replicasAndSubscribersAreSelectedOnlyWhenAsked() {
        List<RedisClientInfo> chosen = reaper().includeReplicas(true).includePubSub(true).build()
                .select(RedisClientInfo.parseList(LIST), 8);

        assertThat(chosen).extracting(RedisClientInfo::id).containsExactly(5L, 6L, 4L, 3L);
    }

    @Test
    void allGivenFiltersMustMatch() {
        List<RedisClientInfo> clients = RedisClientInfo.parseList(LIST);

        assertThat(reaper().libraryName("jedis").build().select(clients, 8)).extracting(RedisClientInfo::id).containsExactly(3L);
        assertThat(reaper().clientName("worker-.*").address("127\\.0\\.0\\.1:5000[2-9]").build().select(clients, 8))
                .extracting(RedisClientInfo::id).containsExactly(4L);
        assertThat(reaper().clientName("worker-1").libraryName("lettuce").build().select(clients, 8)).isEmpty();
    }
}
