package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.opskit.core.CheckRegistration;
import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

class DataSourceHealthCheckTest {

    @TempDir
    static Path dataDir;
    static int port;
    static EmbeddedPostgres pg;

    @BeforeAll
    static void startServer() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        pg = startOn(port);
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (pg != null) {
            pg.close();
        }
    }

    private static EmbeddedPostgres startOn(int port) throws IOException {
        // the same data directory and port: a restart, not a new server (initdb is skipped once postgresql.conf exists)
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDir).setCleanDataDirectory(false).start();
    }

    @Test
    void passesWithTheRoundTripAsObservedValueAndTheProductInDetails() {
        Result r = DataSourceHealthCheck.of(Pg.dataSource(port, "postgres", "postgres", "health")).check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.observedUnit()).contains("ms");
        assertThat((Double) r.observedValue().orElseThrow()).isBetween(0.0, 2000.0);
        assertThat(r.details()).containsEntry("database", "PostgreSQL").containsKey("borrowMs");
        assertThat((String) r.details().get("version")).startsWith("17.");
    }

    @Test
    void aFailingValidationQueryFailsWithItsSqlState() {
        Result r = DataSourceHealthCheck.builder(Pg.dataSource(port, "postgres", "postgres", "health"))
                .validationQuery("SELECT 1 FROM no_such_table").build().check();

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("no_such_table"));
        assertThat(r.details()).containsEntry("sqlState", "42P01");
    }

    @Test
    void neverShowsThePasswordOfTheJdbcUrl() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://localhost:" + port + "/postgres?user=postgres&password=s3cr3t-pw&connectTimeout=2");

        Result r = DataSourceHealthCheck.of(ds).check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.toString()).doesNotContain("s3cr3t-pw");
        assertThat((String) r.details().get("url")).contains("localhost:" + port);
    }

    @Test
    void failsWithinItsTimeoutWhileTheServerIsDownAndPassesOnceItIsBack() throws IOException {
        DataSourceHealthCheck check = DataSourceHealthCheck.builder(Pg.dataSource(port, "postgres", "postgres", "health"))
                .timeout(Duration.ofSeconds(2)).build();
        assertThat(check.check().status()).isEqualTo(Status.PASS);

        pg.close();
        try {
            Result down = assertTimeoutPreemptively(Duration.ofSeconds(3), check::check);
            assertThat(down.status()).isEqualTo(Status.FAIL);
            assertThat(down.output()).isPresent();
            assertThat(down.details()).containsEntry("database", "PostgreSQL");
        } finally {
            pg = startOn(port);
        }

        assertThat(check.check().status()).isEqualTo(Status.PASS);
    }

    @Test
    void behindAPoolThatWaitsForeverTheEngineDeadlineStillFailsItInTime() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setDataSource(Pg.dataSource(port, "postgres", "postgres", "pooled"));
        config.setMaximumPoolSize(1);
        config.setConnectionTimeout(30_000);   // a borrow while the server is down waits this long
        try (HikariDataSource hikari = new HikariDataSource(config); Ops ops = Ops.builder().build()) {
            CheckRegistration registration = DataSourceHealthCheck.builder(hikari).timeout(Duration.ofSeconds(1)).build()
                    .registrationBuilder().interval(Duration.ofMinutes(10)).build();
            ops.register(registration);
            ops.start();
            assertThat(ops.refresh("db:connection").get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.PASS);

            pg.close();
            try {
                CheckState down = ops.refresh("db:connection").get(10, TimeUnit.SECONDS);
                assertThat(down.status()).isEqualTo(Status.FAIL);
            } finally {
                pg = startOn(port);
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(ops.refresh("db:connection").get(10, TimeUnit.SECONDS).status()).isEqualTo(Status.PASS));
        }
    }

    @Test
    void tellsItsListenerEveryOutcome() {
        List<Boolean> seen = new ArrayList<>();
        DataSourceHealthCheck.builder(Pg.dataSource(port, "postgres", "postgres", "health")).listener(seen::add).build().check();
        DataSourceHealthCheck.builder(Pg.dataSource(port, "postgres", "postgres", "health")).listener(seen::add)
                .validationQuery("SELECT 1/0").build().check();

        assertThat(seen).containsExactly(true, false);
    }

    @Test
    void registersAsADatastoreReadinessCheckWithADeadlineAboveTheValidationTimeout() {
        CheckRegistration r = DataSourceHealthCheck.builder(Pg.dataSource(port, "postgres", "postgres", "health"))
                .name("orders:db").timeout(Duration.ofSeconds(3)).build().registration();

        assertThat(r.name()).isEqualTo("orders:db");
        assertThat(r.componentType()).isEqualTo("datastore");
        assertThat(r.timeout()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void rejectsBadSettingsNamingFieldValueAndFix() {
        PGSimpleDataSource ds = Pg.dataSource(port, "postgres", "postgres", "health");
        assertThatThrownBy(() -> DataSourceHealthCheck.builder(ds).timeout(Duration.ZERO))
                .hasMessageContaining("timeout").hasMessageContaining("PT0S").hasMessageContaining("Duration.ofSeconds(2)");
        assertThatThrownBy(() -> DataSourceHealthCheck.builder(ds).name("db"))
                .hasMessageContaining("name").hasMessageContaining("'db'").hasMessageContaining("component:measurement");
        assertThatThrownBy(() -> DataSourceHealthCheck.builder(ds).validationQuery(" "))
                .hasMessageContaining("validationQuery").hasMessageContaining("SELECT 1");
    }
}
