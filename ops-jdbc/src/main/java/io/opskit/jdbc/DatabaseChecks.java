package io.opskit.jdbc;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.opskit.core.AttachContext;
import io.opskit.core.CheckRegistration;
import io.opskit.core.OpsComponent;
import java.util.List;
import javax.sql.DataSource;

/**
 * The database checks of one {@link DataSource}, as one {@link OpsComponent}:
 *
 * <pre>{@code
 * ops.attach(DatabaseChecks.postgres(dataSource));   // db:connection, postgres:connections, postgres:transactions
 * ops.attach(DatabaseChecks.generic(dataSource));    // db:connection, for any JDBC database
 * }</pre>
 *
 * <p>Each check has its defaults; for other settings build the checks and pass them to
 * {@link #of(DataSourceHealthCheck)} or {@link #postgres(DataSourceHealthCheck, PostgresConnectionsCheck,
 * PostgresTransactionsCheck)}. The checks query through the data source given: hand them the pool
 * (or its instrumented wrapper) the application uses.
 */
public final class DatabaseChecks implements OpsComponent {

    private final List<CheckRegistration> registrations;
    private final List<MeterBinder> meters;

    private DatabaseChecks(List<CheckRegistration> registrations, List<MeterBinder> meters) {
        this.registrations = List.copyOf(registrations);
        this.meters = List.copyOf(meters);
    }

    /** {@code db:connection} ({@link DataSourceHealthCheck} with its defaults) for any JDBC database. */
    public static DatabaseChecks generic(DataSource dataSource) {
        return of(DataSourceHealthCheck.of(dataSource));
    }

    /** The one check given, e.g. a {@link DataSourceHealthCheck} with another name or timeout. */
    public static DatabaseChecks of(DataSourceHealthCheck connection) {
        Require.notNull("connection", connection);
        return new DatabaseChecks(List.of(connection.registration()), List.of());
    }

    /**
     * {@code db:connection}, {@code postgres:connections} (with its gauge
     * {@code opskit.db.server.connections.utilization}) and {@code postgres:transactions}, with their
     * defaults, for PostgreSQL.
     */
    public static DatabaseChecks postgres(DataSource dataSource) {
        Require.notNull("dataSource", dataSource);
        return postgres(DataSourceHealthCheck.of(dataSource), PostgresConnectionsCheck.builder(dataSource).build(),
                PostgresTransactionsCheck.builder(dataSource).build());
    }

    /** The three PostgreSQL checks as given. */
    public static DatabaseChecks postgres(DataSourceHealthCheck connection, PostgresConnectionsCheck connections,
                                          PostgresTransactionsCheck transactions) {
        Require.notNull("connection", connection);
        Require.notNull("connections", connections);
        Require.notNull("transactions", transactions);
        return new DatabaseChecks(List.of(connection.registration(), connections.registration(), transactions.registration()),
                List.of(connections));
    }

    /** The registrations attaching registers, in order. */
    public List<CheckRegistration> registrations() {
        return registrations;
    }

    /** Registers the checks and binds their gauges. */
    @Override
    public void attachTo(AttachContext context) {
        registrations.forEach(context::check);
        meters.forEach(context::meters);
    }

    @Override
    public String toString() {
        return "DatabaseChecks" + registrations.stream().map(CheckRegistration::name).toList();
    }
}
