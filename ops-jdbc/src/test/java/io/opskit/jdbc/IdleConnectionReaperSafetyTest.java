package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue #13: the reaper never terminates what it must not. Every verdict is read from
 * {@code pg_stat_activity} through a separate superuser connection, never from the reaper's own report.
 */
class IdleConnectionReaperSafetyTest {

    private static final String APP = "orders";
    static EmbeddedPostgres pg;
    static DataSource observer;
    final List<Connection> opened = new ArrayList<>();
    final List<HikariDataSource> pools = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        pg = Pg.start();
        observer = Pg.admin(pg, "observer");
        // the application's role may see and signal every non-superuser session: only the reaper's scope holds it back
        Pg.exec(observer, "CREATE ROLE svc LOGIN PASSWORD 'svc-secret' IN ROLE pg_read_all_stats, pg_signal_backend",
                "CREATE ROLE other_team LOGIN");
    }

    @AfterAll
    static void stopServer() throws IOException {
        pg.close();
    }

    @AfterEach
    void closeOpened() throws SQLException {
        for (Connection c : opened) {
            c.close();
        }
        opened.clear();
        pools.forEach(HikariDataSource::close);
        pools.clear();
    }

    /** A Hikari pool as the README sets it up: JDBC URL, user, password, application name, tracked. */
    private HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres?ApplicationName=" + APP);
        config.setUsername("svc");
        config.setPassword("svc-secret");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        config.setConnectionTimeout(3000);
        PoolSessions.track(config);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.getHikariPoolMXBean().getIdleConnections() == size);
        return pool;
    }

    private long session(String user, String application) throws SQLException {
        Connection c = Pg.dataSource(pg.getPort(), user, "postgres", application).getConnection(user,
                "svc".equals(user) ? "svc-secret" : null);
        opened.add(c);
        return Pg.backendPid(c);
    }

    /** The backend pids of the pool, read through its own connections: all borrowed at once, then returned. */
    private static Set<Long> pidsThroughThePool(HikariDataSource pool, int size) throws SQLException {
        List<Connection> all = new ArrayList<>();
        Set<Long> pids = new TreeSet<>();
        try {
            for (int i = 0; i < size; i++) {
                Connection c = pool.getConnection();
                all.add(c);
                pids.add(Pg.backendPid(c));
            }
        } finally {
            for (Connection c : all) {
                c.close();
            }
        }
        return pids;
    }

    private static Set<Long> alive(Set<Long> pids) {
        String list = pids.stream().map(String::valueOf).collect(Collectors.joining(","));
        return new TreeSet<>(Pg.longs(observer, "SELECT pid FROM pg_stat_activity WHERE pid IN (" + list + ")"));
    }

    private static ReaperConfig.Builder immediately() {
        // every idle session in scope is over its timeout at once: the pool's idle connections included
        return ReaperConfig.builder().idleTimeout(Duration.ofMillis(1)).idleInTransactionTimeout(Duration.ofMillis(1));
    }

    @Test
    void aPoolsIdleConnectionsAreNeverTouchedButAForeignSessionSpoofingItsNameIs() throws Exception {
        HikariDataSource pool = pool(4);
        Set<Long> before = pidsThroughThePool(pool, 4);
        long spoofer = session("svc", APP);   // same role, same application name, not the pool's
        await().atMost(Duration.ofSeconds(5)).until(() -> Pg.scalar(observer, "SELECT count(*) FROM pg_stat_activity"
                + " WHERE usename = 'svc' AND application_name = '" + APP + "' AND state = 'idle'") == 5);
        IdleConnectionReaper reaper = IdleConnectionReaper.builder(pool).config(immediately().build()).build();

        ReaperRun run;
        try (LogCapture hikari = new LogCapture("com.zaxxer.hikari")) {
            run = reaper.runOnce();
            ReaperRun again = reaper.runOnce();
            assertThat(again.terminated()).isZero();
            assertThat(again.skipped()).containsEntry(ReapedSession.Outcome.SKIPPED_OWN_POOL, 4L);

            assertThat(pidsThroughThePool(pool, 4)).isEqualTo(before);
            assertThat(hikari.lines()).noneMatch(l -> l.contains("Failed to validate connection"));
        }
        assertThat(run.error()).isEmpty();
        assertThat(run.sessions()).extracting(ReapedSession::id, ReapedSession::outcome)
                .contains(tuple(spoofer, ReapedSession.Outcome.TERMINATED))
                .containsAll(before.stream().map(p -> tuple(p, ReapedSession.Outcome.SKIPPED_OWN_POOL)).toList());
        assertThat(run.terminated()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(alive(before)).isEqualTo(before);
            assertThat(alive(Set.of(spoofer))).isEmpty();
        });
        assertThat(PoolSessions.of(pool).orElseThrow().sessionIds()).isEqualTo(before);
        assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(4);
    }

    @Test
    void aScheduledReaperLeavesAQuietPoolAloneRunAfterRun() throws Exception {
        HikariDataSource pool = pool(3);
        Set<Long> before = pidsThroughThePool(pool, 3);
        IdleConnectionReaper reaper = IdleConnectionReaper.builder(pool)
                .config(immediately().interval(Duration.ofMillis(50)).build()).build();
        List<ReaperRun> runs = new ArrayList<>();

        try (LogCapture hikari = new LogCapture("com.zaxxer.hikari")) {
            reaper.start();
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> {
                    reaper.lastRun().filter(r -> !runs.contains(r)).ifPresent(runs::add);
                    return runs.size() >= 10;
                });
            } finally {
                reaper.close();
            }
            assertThat(pidsThroughThePool(pool, 3)).isEqualTo(before);
            assertThat(hikari.lines()).noneMatch(l -> l.contains("Failed to validate connection"));
        }
        assertThat(runs).allSatisfy(r -> {
            assertThat(r.error()).isEmpty();
            assertThat(r.terminated()).isZero();
        });
    }

    @Test
    void theReaperNeverWaitsInAnExhaustedPool() throws Exception {
        HikariDataSource pool = pool(2);
        long victim = session("svc", "leaked-script");
        List<Connection> held = List.of(pool.getConnection(), pool.getConnection());   // the pool is exhausted
        try {
            IdleConnectionReaper reaper = IdleConnectionReaper.builder(pool).config(immediately().build()).build();

            ReaperRun run = reaper.runOnce();

            assertThat(run.error()).isEmpty();
            assertThat(run.took()).isLessThan(Duration.ofSeconds(3));   // a borrow would have waited 3 s and failed
            assertThat(run.sessions()).extracting(ReapedSession::id, ReapedSession::outcome)
                    .contains(tuple(victim, ReapedSession.Outcome.TERMINATED));
            assertThat(pool.getHikariPoolMXBean().getThreadsAwaitingConnection()).isZero();
            assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isEqualTo(2);
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
    }

    @Test
    void anotherRolesSessionIsReapedOnlyWhenItsRoleIsNamed() throws Exception {
        HikariDataSource pool = pool(1);
        long foreign = session("other_team", "their-app");

        ReaperRun byDefault = IdleConnectionReaper.builder(pool).config(immediately().build()).build().runOnce();
        assertThat(byDefault.error()).isEmpty();
        assertThat(byDefault.sessions()).extracting(ReapedSession::id).doesNotContain(foreign);
        assertThat(alive(Set.of(foreign))).containsExactly(foreign);

        ReaperRun named = IdleConnectionReaper.builder(pool).config(immediately().users("svc", "other_team").build()).build()
                .runOnce();
        assertThat(named.sessions()).extracting(ReapedSession::id, ReapedSession::outcome)
                .contains(tuple(foreign, ReapedSession.Outcome.TERMINATED));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(alive(Set.of(foreign))).isEmpty());
    }

    @Test
    void superuserSessionsAreOutOfScopeEvenForASuperuserReaperUnlessNamedExactly() throws Exception {
        long dba = session("postgres", "psql");
        IdleConnectionReaper byGlob = IdleConnectionReaper.unpooled(Pg.admin(pg, "reaper"))
                .config(immediately().users("post*").build()).build();

        ReaperRun run = byGlob.runOnce();

        assertThat(run.sessions()).extracting(ReapedSession::id, ReapedSession::outcome)
                .contains(tuple(dba, ReapedSession.Outcome.SKIPPED_SUPERUSER));
        assertThat(alive(Set.of(dba))).containsExactly(dba);
        ReaperRun byDefault = IdleConnectionReaper.unpooled(Pg.admin(pg, "reaper")).config(immediately().build()).build()
                .runOnce();
        assertThat(byDefault.terminated()).isZero();
        assertThat(alive(Set.of(dba))).containsExactly(dba);
    }

    @Test
    void aSessionNamedPgDumpIsReapedOnlyWhenNamedExactly() throws Exception {
        HikariDataSource pool = pool(1);
        long dump = session("svc", "pg_dump");

        ReaperRun byDefault = IdleConnectionReaper.builder(pool).config(immediately().build()).build().runOnce();
        ReaperRun byGlob = IdleConnectionReaper.builder(pool).config(immediately().applications("pg_*").build()).build()
                .runOnce();
        assertThat(byDefault.sessions()).extracting(ReapedSession::id, ReapedSession::outcome)
                .contains(tuple(dump, ReapedSession.Outcome.SKIPPED_PROTECTED_APPLICATION));
        assertThat(byGlob.sessions()).extracting(ReapedSession::id, ReapedSession::outcome)
                .contains(tuple(dump, ReapedSession.Outcome.SKIPPED_PROTECTED_APPLICATION));
        assertThat(alive(Set.of(dump))).containsExactly(dump);

        ReaperRun named = IdleConnectionReaper.builder(pool).config(immediately().applications("pg_dump").build()).build()
                .runOnce();
        assertThat(named.sessions()).extracting(ReapedSession::id, ReapedSession::outcome)
                .containsExactly(tuple(dump, ReapedSession.Outcome.TERMINATED));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(alive(Set.of(dump))).isEmpty());
    }

    @Test
    void anUntrackedPoolIsRefusedWithTheFix() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres");
        config.setUsername("svc");
        config.setPassword("svc-secret");
        config.setMaximumPoolSize(1);
        HikariDataSource untracked = new HikariDataSource(config);
        pools.add(untracked);

        assertThatThrownBy(() -> IdleConnectionReaper.builder(untracked))
                .hasMessageContaining("pool must be built on a tracked data source")
                .hasMessageContaining("HikariDataSource").hasMessageContaining("PoolSessions.track(hikariConfig)")
                .hasMessageNotContaining("svc-secret");
        assertThatThrownBy(() -> IdleConnectionReaper.unpooled(observer).protect(untracked))
                .hasMessageContaining("pools must each be tracked");
        assertThatThrownBy(() -> PoolSessions.track(new HikariConfig()))
                .hasMessageContaining("config must set jdbcUrl or a DataSource");
    }

    @Test
    void anUnpooledReaperOfADedicatedRoleStillSparesTheProtectedPool() throws Exception {
        HikariDataSource pool = pool(2);
        Set<Long> poolPids = pidsThroughThePool(pool, 2);
        long leaked = session("svc", "leaked-script");
        IdleConnectionReaper reaper = IdleConnectionReaper.unpooled(Pg.admin(pg, "reaper")).protect(pool)
                .config(immediately().users("svc").build()).build();

        ReaperRun run = reaper.runOnce();

        assertThat(run.sessions()).extracting(ReapedSession::id, ReapedSession::outcome)
                .contains(tuple(leaked, ReapedSession.Outcome.TERMINATED));
        assertThat(run.sessions()).filteredOn(s -> poolPids.contains(s.id()))
                .allSatisfy(s -> assertThat(s.outcome()).isEqualTo(ReapedSession.Outcome.SKIPPED_OWN_POOL));
        assertThat(pidsThroughThePool(pool, 2)).isEqualTo(poolPids);
    }
}
