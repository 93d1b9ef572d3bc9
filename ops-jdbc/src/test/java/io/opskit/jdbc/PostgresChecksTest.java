package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import static org.assertj.core.groups.Tuple.tuple;

import io.opskit.core.Attachment;
import io.opskit.core.CheckRegistration;
import io.opskit.core.CheckState;
import io.opskit.core.HealthSnapshot;
import io.opskit.core.Ops;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresChecksTest {

    static EmbeddedPostgres pg;
    static DataSource admin;
    final List<Connection> held = new ArrayList<>();

    @BeforeAll
    static void startServer() throws IOException {
        // 20 connections, 3 reserved for superusers: 17 usable, so saturation is reachable in a test
        pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "20")
                .setServerConfig("superuser_reserved_connections", "3").start();
        admin = Pg.admin(pg, "checks");
    }

    @AfterAll
    static void stopServer() throws IOException {
        pg.close();
    }

    @AfterEach
    void closeHeld() throws SQLException {
        for (Connection c : held) {
            c.close();
        }
        held.clear();
    }

    private Connection open(String application) throws SQLException {
        Connection c = Pg.admin(pg, application).getConnection();
        held.add(c);
        return c;
    }

    @Test
    void connectionUtilizationPassesWarnsAndFailsAgainstUsableSlots() throws SQLException {
        PostgresConnectionsCheck check = PostgresConnectionsCheck.builder(admin).build();
        Result calm = check.check();
        assertThat(calm.status()).isEqualTo(Status.PASS);
        assertThat(calm.details()).containsEntry("usable", 17).containsEntry("maxConnections", 20).containsEntry("reserved", 3);

        // backends of connections closed by this test's own checks and by other tests may still be exiting, so
        // every verdict is judged against the count the same result reports, never against a count assumed here
        Result warn = check.check();
        while ((long) warn.details().get("used") < 15) {
            open("filler");
            warn = check.check();
        }
        assertVerdictMatchesItsCount(warn);
        Result fail = warn;
        while ((long) fail.details().get("used") < 16) {
            open("filler");
            fail = check.check();
        }
        assertVerdictMatchesItsCount(fail);
        assertThat(fail.status()).isEqualTo(Status.FAIL);
        assertThat(fail.output()).hasValueSatisfying(o -> assertThat(o).contains("of 17 usable connections"));
    }

    /** 17 usable slots: warn from 80 %, fail from 90 %, the observed value one decimal of a percent. */
    private static void assertVerdictMatchesItsCount(Result r) {
        long used = (long) r.details().get("used");
        double ratio = used / 17.0;
        assertThat(r.status()).isEqualTo(ratio >= 0.9 ? Status.FAIL : ratio >= 0.8 ? Status.WARN : Status.PASS);
        assertThat(r.observedValue()).contains(Math.round(ratio * 1000) / 10.0);
    }

    @Test
    void connectionDetailsCountBackendsByStateIncludingLockWaiters() throws Exception {
        Pg.exec(admin, "CREATE TABLE IF NOT EXISTS counted(id int)");
        Connection inTx = open("tx");
        inTx.setAutoCommit(false);
        try (Statement s = inTx.createStatement()) {
            s.execute("LOCK TABLE counted IN ACCESS EXCLUSIVE MODE");
        }
        Connection waiter = open("waiter");
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try (Statement s = waiter.createStatement()) {
                s.execute("SELECT count(*) FROM counted");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        PostgresConnectionsCheck check = PostgresConnectionsCheck.builder(admin).build();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(check.check().details())
                .containsEntry("waitingOnLock", 1L).containsEntry("idleInTransaction", 1L));
        inTx.rollback();
        blocked.get();
        assertThat(check.check().details()).containsEntry("waitingOnLock", 0L).containsEntry("idleInTransaction", 0L);
    }

    @Test
    void anOldTransactionWarnsOrFailsAndNamesItsBackend() throws Exception {
        Connection old = open("old-tx");
        old.setAutoCommit(false);
        long pid = Pg.backendPid(old);

        PostgresTransactionsCheck failing = PostgresTransactionsCheck.builder(admin)
                .warnAge(Duration.ofMillis(1)).failAge(Duration.ofMillis(2)).build();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(failing.check().status()).isEqualTo(Status.FAIL));
        Result r = failing.check();
        assertThat(r.details()).containsEntry("oldestPid", pid).containsEntry("oldestApplication", "old-tx")
                .containsEntry("oldestState", "idle in transaction");
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("pid " + pid));

        assertThat(PostgresTransactionsCheck.builder(admin).build().check().status()).isEqualTo(Status.PASS);
        old.rollback();
        assertThat(failing.check().details()).doesNotContainKey("oldestPid");
    }

    @Test
    void backendsWaitingOnALockWarnUntilTheLockIsReleased() throws Exception {
        Pg.exec(admin, "CREATE TABLE IF NOT EXISTS locked(id int)");
        Connection holder = open("holder");
        holder.setAutoCommit(false);
        try (Statement s = holder.createStatement()) {
            s.execute("LOCK TABLE locked IN ACCESS EXCLUSIVE MODE");
        }
        Connection waiter = open("waiter");
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
            try (Statement s = waiter.createStatement()) {
                s.execute("SELECT count(*) FROM locked");
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        PostgresTransactionsCheck check = PostgresTransactionsCheck.builder(admin).warnLockWaiters(1).failLockWaiters(2).build();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(check.check().status()).isEqualTo(Status.WARN));
        assertThat(check.check().details()).containsEntry("lockWaiters", 1L);
        holder.rollback();
        blocked.get();
        assertThat(check.check().status()).isEqualTo(Status.PASS);
    }

    @Test
    void registersEveryPostgresCheckWithOps() throws Exception {
        try (Ops ops = Ops.builder().build()) {
            Attachment attachment = ops.attach(DatabaseChecks.postgres(admin));
            ops.start();

            HealthSnapshot health = ops.refreshAll().get(10, TimeUnit.SECONDS);

            assertThat(attachment.checks()).containsExactly("db:connection", "postgres:connections", "postgres:transactions");
            assertThat(ops.registrations()).extracting(CheckRegistration::name)
                    .containsExactlyInAnyOrderElementsOf(attachment.checks());
            assertThat(attachment.meters()).extracting(m -> m.getName())
                    .containsExactly("opskit.db.server.connections.utilization");
            assertThat(ops.meterRegistry().get("opskit.db.server.connections.utilization").gauge().value()).isBetween(0.0, 1.0);
            assertThat(health.checks()).extracting(CheckState::name, CheckState::status).contains(
                    tuple("db:connection", Status.PASS), tuple("postgres:connections", Status.PASS),
                    tuple("postgres:transactions", Status.PASS));
        }
    }

    @Test
    void buildersRejectInvertedThresholds() {
        assertThatThrownBy(() -> PostgresConnectionsCheck.builder(admin).warnAt(0.95).failAt(0.9).build())
                .hasMessageContaining("warnAt").hasMessageContaining("0.95");
        assertThatThrownBy(() -> PostgresConnectionsCheck.builder(admin).warnAt(1.5))
                .hasMessageContaining("warnAt").hasMessageContaining("1.5").hasMessageContaining("0.80");
        assertThatThrownBy(() -> PostgresTransactionsCheck.builder(admin).warnLockWaiters(0))
                .hasMessageContaining("warnLockWaiters").hasMessageContaining("0");
        assertThatThrownBy(() -> PostgresTransactionsCheck.builder(admin).warnAge(Duration.ofMinutes(40)).build())
                .hasMessageContaining("warnAge").hasMessageContaining("PT40M");
    }

    @Test
    void registrationsAreNonCriticalDatastoreChecks() {
        assertThat(PostgresConnectionsCheck.builder(admin).build().registration().name()).isEqualTo("postgres:connections");
        assertThat(PostgresTransactionsCheck.builder(admin).build().registration().critical()).isFalse();
        assertThat(PostgresTransactionsCheck.builder(admin).build().registration().componentType()).isEqualTo("datastore");
    }
}
