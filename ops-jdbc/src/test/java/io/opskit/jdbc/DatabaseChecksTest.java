package io.opskit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opskit.core.Attachment;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Status;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

class DatabaseChecksTest {

    private static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:checks;DB_CLOSE_DELAY=-1");
        return ds;
    }

    @Test
    void genericChecksAttachDbConnectionOnlyAndDetachRemovesIt() throws Exception {
        try (Ops ops = Ops.builder().bindJvmMetrics(false).build()) {
            Attachment a = ops.attach(DatabaseChecks.generic(h2()));
            assertThat(a.checks()).containsExactly(DataSourceHealthCheck.DEFAULT_NAME);
            assertThat(a.meters()).isEmpty();
            assertThat(a.endpoints()).isEmpty();
            assertThat(ops.refresh(DataSourceHealthCheck.DEFAULT_NAME).get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.PASS);
            a.close();
            assertThat(ops.registrations()).isEmpty();
        }
    }

    @Test
    void tunedChecksAttachAsBuilt() {
        DataSourceHealthCheck reports = DataSourceHealthCheck.builder(h2()).name("reports-db:connection").build();
        try (Ops ops = Ops.builder().bindJvmMetrics(false).build()) {
            ops.attach(DatabaseChecks.of(reports));
            assertThat(ops.registrations()).extracting(CheckRegistration::name).containsExactly("reports-db:connection");
        }
        assertThat(DatabaseChecks.postgres(h2()).registrations()).extracting(CheckRegistration::name)
                .containsExactly("db:connection", "postgres:connections", "postgres:transactions");
    }

    @Test
    void nullIsRefusedNamingTheArgument() {
        assertThatThrownBy(() -> DatabaseChecks.generic(null)).hasMessageContaining("dataSource");
        assertThatThrownBy(() -> DatabaseChecks.postgres((DataSource) null)).hasMessageContaining("dataSource");
        assertThatThrownBy(() -> DatabaseChecks.of(null)).hasMessageContaining("connection");
    }
}
