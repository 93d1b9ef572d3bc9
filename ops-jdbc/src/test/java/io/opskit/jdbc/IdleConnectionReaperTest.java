package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.OpsEvents;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdleConnectionReaperTest {

    static EmbeddedPostgres pg;
    static DataSource observer;
    final List<Connection> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() throws IOException {
        pg = Pg.start();
        observer = Pg.admin(pg, "observer");
        Pg.exec(observer,
                "CREATE DATABASE other",
                "CREATE ROLE app LOGIN",
                "CREATE ROLE stranger LOGIN",
                // what the README asks of a reaper role: see every session's state, signal non-superusers
                "CREATE ROLE reaper LOGIN IN ROLE pg_read_all_stats, pg_signal_backend",
                // sees everything but may signal only sessions of roles it has the privileges of
                "CREATE ROLE limited LOGIN IN ROLE pg_read_all_stats, app");
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
    }

    private Connection open(String user, String database, String application) throws SQLException {
        Connection c = Pg.dataSource(pg.getPort(), user, database, application).getConnection();
        opened.add(c);
        return c;
    }

    private long idle(String application) throws SQLException {
        return Pg.backendPid(open("postgres", "postgres", application));
    }

    private long idleInTransaction(String application) throws SQLException {
        Connection c = open("postgres", "postgres", application);
        c.setAutoCommit(false);
        return Pg.backendPid(c);
    }

    private static List<Long> alive(List<Long> pids) {
        String list = pids.stream().map(String::valueOf).collect(Collectors.joining(","));
        return Pg.longs(observer, "SELECT pid FROM pg_stat_activity WHERE pid IN (" + list + ") ORDER BY pid");
    }

    private static IdleConnectionReaper reaper(ReaperConfig config) {
        return IdleConnectionReaper.unpooled(Pg.admin(pg, "reaper")).config(config).build();
    }

    private static ReaperConfig.Builder immediately(String applications) {
        // a 1 ms timeout makes every idle session in scope eligible at once: no waiting in tests;
        // the victims here are superuser sessions, in scope only when their role is named exactly
        return ReaperConfig.builder().idleTimeout(Duration.ofMillis(1)).idleInTransactionTimeout(Duration.ofMillis(1))
                .applications(applications).users("postgres");
    }

    @Test
    void terminatesExactlyTheIdleSessionsInScopeAndNothingElse() throws Exception {
        long idle1 = idle("exact-victim-1");
        long idle2 = idle("exact-victim-2");
        long inTx = idleInTransaction("exact-victim-tx");
        Connection busy = open("postgres", "postgres", "exact-victim-busy");
        long busyPid = Pg.backendPid(busy);
        CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
            try (Statement s = busy.createStatement()) {
                s.execute("SELECT pg_sleep(30)");   // cancelled at the end of the test
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        long otherDatabase = Pg.backendPid(open("postgres", "other", "exact-victim-otherdb"));
        long otherApplication = idle("exact-bystander");
        await().atMost(Duration.ofSeconds(5)).until(() -> Pg.scalar(observer,
                "SELECT count(*) FROM pg_stat_activity WHERE pid = " + busyPid + " AND state = 'active'") == 1);

        ReaperRun run = reaper(immediately("exact-victim-*").build()).runOnce();

        assertThat(run.error()).isEmpty();
        assertThat(run.sessions()).extracting(ReapedSession::id).containsExactlyInAnyOrder(idle1, idle2, inTx);
        assertThat(run.terminated()).isEqualTo(3);
        assertThat(run.sessions()).filteredOn(s -> s.id() == inTx).singleElement()
                .satisfies(s -> assertThat(s.state()).isEqualTo(ReapedSession.State.IDLE_IN_TRANSACTION));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(alive(List.of(idle1, idle2, inTx, busyPid, otherDatabase, otherApplication)))
                        .containsExactlyInAnyOrder(busyPid, otherDatabase, otherApplication));
        Pg.scalar(observer, "SELECT count(*) FROM (SELECT pg_cancel_backend(" + busyPid + ")) c");
        assertThat(sleeping.handle((ok, cancelled) -> cancelled).get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void idleAndIdleInTransactionHaveSeparateTimeouts() throws Exception {
        long idle = idle("sep-victim-idle");
        long inTx = idleInTransaction("sep-victim-tx");

        ReaperRun onlyTx = reaper(immediately("sep-victim-*").idleTimeout(Duration.ofHours(1)).build()).runOnce();
        assertThat(onlyTx.sessions()).extracting(ReapedSession::id).containsExactly(inTx);

        ReaperRun onlyIdle = reaper(immediately("sep-victim-*").idleInTransactionTimeout(Duration.ofHours(1))
                .terminateIdle(true).build()).runOnce();
        assertThat(onlyIdle.sessions()).extracting(ReapedSession::id).containsExactly(idle);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(alive(List.of(idle, inTx))).isEmpty());
    }

    @Test
    void aDryRunReportsButTerminatesNothing() throws Exception {
        idle("dry-victim-1");
        idleInTransaction("dry-victim-2");

        ReaperRun run = reaper(immediately("dry-victim-*").dryRun(true).build()).runOnce();

        assertThat(run.dryRun()).isTrue();
        assertThat(run.wouldTerminate()).isEqualTo(2);
        assertThat(run.terminated()).isZero();
        for (Connection c : opened) {
            assertThat(Pg.backendPid(c)).isPositive();   // still usable: nothing was terminated
        }
    }

    @Test
    void theCapHoldsAndTheOldestGoFirst() throws Exception {
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pids.add(idle("cap-victim-" + i));
        }

        ReaperRun run = reaper(immediately("cap-victim-*").maxTerminationsPerRun(2).build()).runOnce();

        assertThat(run.terminated()).isEqualTo(2);
        assertThat(run.skipped()).containsEntry(ReapedSession.Outcome.SKIPPED_CAP, 3L);
        List<Long> terminated = run.sessions().stream().filter(s -> s.outcome() == ReapedSession.Outcome.TERMINATED)
                .map(ReapedSession::id).collect(Collectors.toList());
        assertThat(terminated).containsExactlyInAnyOrder(pids.get(0), pids.get(1));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(alive(pids)).hasSize(3));
    }

    @Test
    void aNonSuperuserReaperSkipsSuperuserSessionsAndSaysSo() throws Exception {
        long superuser = idle("role-victim-super");
        long appSession = Pg.backendPid(open("app", "postgres", "role-victim-app"));
        long strangerSession = Pg.backendPid(open("stranger", "postgres", "role-victim-stranger"));

        IdleConnectionReaper limited = IdleConnectionReaper.unpooled(Pg.dataSource(pg.getPort(), "limited", "postgres", "reaper"))
                .config(immediately("role-victim-*").users("postgres", "app", "stranger").dryRun(true).build()).build();
        ReaperRun dry = limited.runOnce();
        assertThat(dry.sessions()).extracting(ReapedSession::id, ReapedSession::outcome).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(superuser, ReapedSession.Outcome.SKIPPED_SUPERUSER),
                org.assertj.core.groups.Tuple.tuple(appSession, ReapedSession.Outcome.WOULD_TERMINATE),
                org.assertj.core.groups.Tuple.tuple(strangerSession, ReapedSession.Outcome.SKIPPED_NO_PERMISSION));

        IdleConnectionReaper reaper = IdleConnectionReaper.unpooled(Pg.dataSource(pg.getPort(), "reaper", "postgres", "reaper"))
                .config(immediately("role-victim-*").users("postgres", "app", "stranger").build()).build();
        ReaperRun run = reaper.runOnce();

        assertThat(run.error()).isEmpty();
        assertThat(run.terminated()).isEqualTo(2);
        assertThat(run.skipped()).containsExactly(Map.entry(ReapedSession.Outcome.SKIPPED_SUPERUSER, 1L));
        Result check = reaper.check().check();
        assertThat(check.status()).isEqualTo(Status.PASS);
        assertThat(check.details()).containsEntry("terminated", 2L).containsEntry("skipped", Map.of("superuser", 1L));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(alive(List.of(superuser, appSession, strangerSession))).containsExactly(superuser));
    }

    @Test
    void everyTerminationIsLoggedCountedAuditedAndShownByItsCheck() throws Exception {
        long inTx = idleInTransaction("audit-victim-tx");
        try (Statement s = opened.get(0).createStatement()) {
            s.execute("SELECT 'secret-customer-data' AS x");
        }
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OpsEvents events = OpsEvents.inMemory(50);
        IdleConnectionReaper reaper = IdleConnectionReaper.unpooled(Pg.admin(pg, "reaper"))
                .config(immediately("audit-victim-*").build()).events(events).build();
        reaper.bindTo(registry);
        assertThat(reaper.check().check().output()).contains("no run yet");

        ReaperRun run;
        try (LogCapture logs = new LogCapture(IdleConnectionReaper.class)) {
            run = reaper.runOnce();
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("terminated session " + inTx)
                    .contains("application=audit-victim-tx").contains("state=idle_in_transaction"));
            assertThat(String.join("\n", logs.lines())).doesNotContain("secret-customer-data");
        }

        assertThat(run.terminated()).isEqualTo(1);
        assertThat(run.sessions().get(0).query()).isEmpty();
        assertThat(registry.get("opskit.reaper.terminated").tag("state", "idle_in_transaction").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("opskit.reaper.terminated").tag("state", "idle").counter().count()).isZero();
        assertThat(Events.actions(events)).singleElement().satisfies(e -> {
            assertThat(e.source()).isEqualTo("postgres:reaper");
            assertThat(e.action()).isEqualTo("terminate");
            assertThat(e.details()).containsEntry("ids", Long.toString(inTx));
        });
        Result check = reaper.check().check();
        assertThat(check.output()).contains("terminated 1 idle session(s)");
        assertThat(check.details()).containsEntry("terminated", 1L).containsEntry("dryRun", false);
        assertThat(reaper.registration().name()).isEqualTo("postgres:reaper");
        assertThat(reaper.registration().critical()).isFalse();
    }

    @Test
    void queryTextIsReportedOnlyWhenAskedFor() throws Exception {
        idle("text-victim");
        try (Statement s = opened.get(0).createStatement()) {
            s.execute("SELECT 42 AS answer");
        }
        ReaperRun run = reaper(immediately("text-victim").dryRun(true).logQueryText(true).build()).runOnce();

        assertThat(run.sessions()).singleElement().satisfies(s -> assertThat(s.query()).contains("SELECT 42 AS answer"));
    }

    @Test
    void runsOnItsOwnThreadUntilClosedAndLeavesNoThreadBehind() throws Exception {
        long victim = idle("sched-victim");
        IdleConnectionReaper reaper = reaper(immediately("sched-victim").interval(Duration.ofMillis(50)).build()).start();
        try {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(alive(List.of(victim))).isEmpty());
            assertThat(reaper.lastRun()).isPresent();
        } finally {
            reaper.close();
        }
        // close() stops the thread; it may still be unwinding for a moment
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("opskit-reaper") && t.isAlive()));
    }

    @Test
    void aFailedRunIsAWarningNotAnErrorLoop() throws Exception {
        IdleConnectionReaper reaper = IdleConnectionReaper.unpooled(Pg.dataSource(1, "postgres", "postgres", "reaper")).build();

        ReaperRun run = reaper.runOnce();

        assertThat(run.failed()).isTrue();
        Result check = reaper.check().check();
        assertThat(check.status()).isEqualTo(Status.WARN);
        assertThat(check.output()).hasValueSatisfying(o -> assertThat(o).startsWith("last run failed"));
    }

    @Test
    void terminatesTwoHundredIdleSessionsInOneRun() throws Exception {
        List<Long> pids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            pids.add(idle("bulk-victim"));
        }

        ReaperRun run = reaper(immediately("bulk-victim").maxTerminationsPerRun(500).build()).runOnce();

        assertThat(run.terminated()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(alive(pids)).isEmpty());
    }

    @Test
    void configRejectsBadValuesNamingFieldValueAndFix() {
        assertThatThrownBy(() -> ReaperConfig.builder().idleTimeout(Duration.ofSeconds(-1)))
                .hasMessageContaining("idleTimeout").hasMessageContaining("PT-1S").hasMessageContaining("Duration.ofMinutes(5)");
        assertThatThrownBy(() -> ReaperConfig.builder().maxTerminationsPerRun(0))
                .hasMessageContaining("maxTerminationsPerRun").hasMessageContaining("0");
        assertThatThrownBy(() -> ReaperConfig.builder().applications("ok", " "))
                .hasMessageContaining("applications").hasMessageContaining("batch-*");
        assertThatThrownBy(() -> ReaperConfig.builder().terminateIdle(false).terminateIdleInTransaction(false).build())
                .hasMessageContaining("terminateIdle");
        assertThat(PostgresReaperDialect.globToLike("batch_%-*?")).isEqualTo("batch\\_\\%-%_");
        assertThat(IdleConnectionReaper.unpooled(observer).name("orders-db:reaper").build().registration().name())
                .isEqualTo("orders-db:reaper");
        assertThatThrownBy(() -> IdleConnectionReaper.unpooled(observer).name("reaper")).hasMessageContaining("'reaper'");
        assertThatThrownBy(() -> ReaperConfig.builder().users("*"))
                .hasMessageContaining("users").hasMessageContaining("'*'").hasMessageContaining("name each one");
        assertThatThrownBy(() -> ReaperConfig.builder().applications("%"))
                .hasMessageContaining("applications").hasMessageContaining("'%'");
        assertThat(ReaperConfig.builder().applications("pg_*").build().protectedApplications()).contains("pg_dump");
        assertThat(ReaperConfig.builder().applications("pg_dump").build().protectedApplications()).doesNotContain("pg_dump");
    }
}
