package io.opskit.jdbc;

import io.opskit.jdbc.internal.CorrelationComment;
import java.sql.Connection;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ConnectionIdManager;
import net.ttddyy.dsproxy.proxy.NanoTimeStopwatchFactory;
import net.ttddyy.dsproxy.proxy.ProxyConfig;

/** Builds the one datasource-proxy wrapper that carries a query monitor, a leak tracker, or both. */
final class Proxies {

    private Proxies() {
    }

    static DataSource wrap(DataSource target, QueryMonitor monitor, LeakTracker tracker) {
        ProxyConfig.Builder config = ProxyConfig.Builder.create()
                .stopwatchFactory(new NanoTimeStopwatchFactory())
                .connectionIdManager(tracker != null ? tracker.idManager() : new SequenceIds());
        if (monitor != null) {
            config.dataSourceName(monitor.dataSourceName()).queryListener(monitor.listener());
            if (monitor.commentsCorrelationId()) {
                config.queryTransformer(new CorrelationComment());
            }
        }
        ProxyConfig built = config.build();
        return built.getJdbcProxyFactory().createDataSource(target, built);
    }

    /** Connection ids without datasource-proxy's default open-id bookkeeping (a synchronized set per borrow). */
    private static final class SequenceIds implements ConnectionIdManager {
        private final AtomicLong next = new AtomicLong();

        @Override
        public String getId(Connection connection) {
            return Long.toString(next.incrementAndGet());
        }

        @Override
        public void addClosedId(String closedId) {
        }

        @Override
        public Set<String> getOpenConnectionIds() {
            return Set.of();
        }
    }
}
