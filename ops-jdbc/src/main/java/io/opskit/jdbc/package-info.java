/**
 * opskit for JDBC: {@link io.opskit.jdbc.DataSourceHealthCheck}, PostgreSQL server checks
 * ({@link io.opskit.jdbc.PostgresConnectionsCheck}, {@link io.opskit.jdbc.PostgresTransactionsCheck}),
 * the HikariCP {@link io.opskit.jdbc.HikariPoolWatchdog}, connection-leak tracking
 * ({@link io.opskit.jdbc.LeakTracker}), the {@link io.opskit.jdbc.IdleConnectionReaper} and slow-query
 * detection ({@link io.opskit.jdbc.QueryMonitor}). Everything here is a plain
 * {@link io.opskit.core.HealthCheck} with a ready {@link io.opskit.core.CheckRegistration}, so it works
 * with or without the {@code Ops} facade.
 */
package io.opskit.jdbc;
