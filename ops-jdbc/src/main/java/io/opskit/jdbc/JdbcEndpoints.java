package io.opskit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.opskit.core.AttachContext;
import io.opskit.core.Ops;
import io.opskit.core.endpoint.OpsEndpoint;
import io.opskit.core.endpoint.OpsResponses;
import io.opskit.core.endpoint.Role;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What ops-jdbc contributes to the operations surface ({@link Ops#endpoints()}), each readable by
 * viewers: {@code /ops/slow-queries} (the slowest statements, normalised, with their correlation
 * IDs), {@code /ops/leaks} (suspects past the threshold and every connection held now: thread,
 * for how long, correlation ID, borrow stack) and {@code /ops/pool} (the Hikari pool's numbers).
 * Attaching the {@link QueryMonitor}, {@link LeakTracker} or {@link HikariPoolWatchdog} contributes
 * its endpoint; these build them for an operations surface of your own.
 */
public final class JdbcEndpoints {

    /** Frames of a borrow stack shown per connection. */
    public static final int STACK_FRAMES = 20;
    private static final Logger LOG = LoggerFactory.getLogger(JdbcEndpoints.class);

    private JdbcEndpoints() {
    }

    /** {@code GET /ops/slow-queries}: the slow statements the monitor kept, slowest first, and its numbers. */
    public static OpsEndpoint slowQueries(QueryMonitor monitor) {
        Require.notNull("monitor", monitor);
        return OpsEndpoint.of("/ops/slow-queries", Map.of("GET", Role.VIEWER), request -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("count", monitor.slowQueryCount());
            out.put("p95Ms", monitor.p95().toNanos() / 1_000_000.0);
            out.put("slowQueries", monitor.slowQueries().stream().map(SlowQuery::asMap).toList());
            return OpsResponses.json(200, out);
        });
    }

    /** {@code GET /ops/leaks}: suspects held past the threshold, and every connection held now, longest first. */
    public static OpsEndpoint leaks(LeakTracker tracker) {
        Require.notNull("tracker", tracker);
        return OpsEndpoint.of("/ops/leaks", Map.of("GET", Role.VIEWER), request -> {
            List<LeakSuspect> held = tracker.openConnections();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("thresholdMs", tracker.threshold().toMillis());
            out.put("openConnections", held.size());
            out.put("leakSuspects", tracker.leakSuspects().stream().map(s -> s.asMap(STACK_FRAMES)).toList());
            out.put("held", held.stream().map(s -> s.asMap(STACK_FRAMES)).toList());
            return OpsResponses.json(200, out);
        });
    }

    /** {@code GET /ops/pool}: the Hikari pool's numbers now, and its sizing and timeouts. */
    public static OpsEndpoint pool(HikariPoolWatchdog watchdog) {
        Require.notNull("watchdog", watchdog);
        return OpsEndpoint.of("/ops/pool", Map.of("GET", Role.VIEWER), request -> {
            HikariDataSource pool = watchdog.pool();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("pool", pool.getPoolName());
            watchdog.sample().ifPresentOrElse(s -> {
                out.put("active", s.active());
                out.put("idle", s.idle());
                out.put("total", s.total());
                out.put("max", s.max());
                out.put("threadsAwaiting", s.threadsAwaiting());
                out.put("awaitingMs", s.awaitingFor().toMillis());
                out.put("utilization", s.utilization());
            }, () -> out.put("started", false));
            out.put("minimumIdle", pool.getMinimumIdle());
            out.put("maximumPoolSize", pool.getMaximumPoolSize());
            out.put("connectionTimeoutMs", pool.getConnectionTimeout());
            out.put("idleTimeoutMs", pool.getIdleTimeout());
            out.put("maxLifetimeMs", pool.getMaxLifetime());
            out.put("leakDetectionThresholdMs", pool.getLeakDetectionThreshold());
            return OpsResponses.json(200, out);
        });
    }

    /** Adds {@code endpoint} unless its path is taken (a second monitor or pool of the same app): then says so once. */
    static void contribute(AttachContext context, OpsEndpoint endpoint) {
        boolean taken = context.ops().endpoints().list().stream().anyMatch(e -> e.path().equals(endpoint.path()));
        if (taken) {
            LOG.info("opskit: {} is already served for another instance; this one is not added", endpoint.path());
            return;
        }
        context.endpoint(endpoint);
    }
}
