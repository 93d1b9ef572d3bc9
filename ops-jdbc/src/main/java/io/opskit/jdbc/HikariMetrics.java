package io.opskit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HikariCP's own pool metrics ({@code hikaricp.connections}, {@code .active}, {@code .idle},
 * {@code .pending}, {@code .timeout}, {@code .acquire}, {@code .usage}, …; Prometheus
 * {@code hikaricp_connections}, …) in a Micrometer registry, through HikariCP's
 * {@code MicrometerMetricsTracker}: nothing here counts anything itself.
 *
 * <pre>{@code
 * HikariConfig config = new HikariConfig();
 * // … URL, credentials, pool size
 * HikariMetrics.bind(config, ops.meterRegistry());      // before the pool starts: best
 * HikariDataSource hikari = new HikariDataSource(config);
 * }</pre>
 *
 * <p>HikariCP takes one metrics setting per pool: call this before building a
 * {@link HikariPoolWatchdog}, which then reads the {@code hikaricp.connections.timeout} counter.
 * A pool that already reports somewhere (another registry, a {@code MetricsTrackerFactory}) is
 * left as it is.
 */
public final class HikariMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(HikariMetrics.class);

    private HikariMetrics() {
    }

    /**
     * Makes the pool report to {@code registry}: a {@code HikariConfig} before the pool is built,
     * or a {@code HikariDataSource}, started or not (HikariCP accepts a registry on a running pool
     * once).
     *
     * @param pool     the pool's config, or the pool itself
     * @param registry where the pool's meters go, e.g. {@code ops.meterRegistry()}
     * @return true when the pool now reports to {@code registry} because of this call; false when it
     *         already did, or already reports elsewhere (then it is left untouched, and an INFO line says so)
     */
    public static boolean bind(HikariConfig pool, MeterRegistry registry) {
        Require.notNull("pool", pool);
        Require.notNull("registry", registry);
        Object current = pool.getMetricRegistry();
        if (current == registry) {
            return false;
        }
        if (current != null || pool.getMetricsTrackerFactory() != null) {
            LOG.info("pool '{}' already has metrics ({}): its HikariCP meters are not bound to {} as well",
                    pool.getPoolName(), current != null ? current.getClass().getSimpleName()
                            : pool.getMetricsTrackerFactory().getClass().getSimpleName(),
                    registry.getClass().getSimpleName());
            return false;
        }
        pool.setMetricRegistry(registry);
        return true;
    }
}
