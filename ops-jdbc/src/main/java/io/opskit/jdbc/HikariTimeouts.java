package io.opskit.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.OptionalLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@link HikariPoolWatchdog} reads how many borrowers of a pool timed out: HikariCP's own
 * signal, {@link IMetricsTracker#recordConnectionTimeout()}, called once per {@code getConnection()}
 * that gave up after {@code connectionTimeout}. The pool MXBean has no such count, and threads
 * waiting say nothing about whether they are served in time, so this is the only honest "the pool
 * could not serve" signal.
 *
 * <p>In order: a factory wrapped with {@link HikariPoolWatchdog#timeoutCounting(MetricsTrackerFactory)};
 * the {@code hikaricp.connections.timeout} counter when the pool reports to a Micrometer registry;
 * else, when the pool has no metrics of its own, a counting factory installed on it. A pool with
 * another metrics setup (its own factory, a Dropwizard registry) gives no signal: the watchdog then
 * warns at most, and says so once in the log.
 */
final class HikariTimeouts {

    /** The source names shown in the check's details. */
    static final String WRAPPED = "timeoutCounting factory";
    static final String MICROMETER = "micrometer hikaricp.connections.timeout";
    static final String INSTALLED = "installed tracker";
    static final String NONE = "none";

    private static final Logger LOG = LoggerFactory.getLogger(HikariTimeouts.class);

    private final HikariDataSource pool;
    private final String checkName;
    private volatile CountingFactory counting;   // when the count is ours
    private volatile MeterRegistry micrometer;   // when it is Hikari's Micrometer counter

    HikariTimeouts(HikariDataSource pool, String checkName) {
        this.pool = pool;
        this.checkName = checkName;
        resolve();
    }

    /** The cumulative count of borrower timeouts, empty when the pool gives no signal. */
    OptionalLong count() {
        CountingFactory c = counting;
        if (c != null) {
            return OptionalLong.of(c.timeouts.sum());
        }
        MeterRegistry m = micrometer;
        if (m != null) {
            String poolName = pool.getPoolName();
            Counter counter = poolName == null ? null
                    : m.find("hikaricp.connections.timeout").tag("pool", poolName).counter();
            return OptionalLong.of(counter == null ? 0 : (long) counter.count());
        }
        return OptionalLong.empty();
    }

    /** Which signal {@link #count()} reads. */
    String source() {
        return counting != null ? (counting.installed ? INSTALLED : WRAPPED) : micrometer != null ? MICROMETER : NONE;
    }

    private void resolve() {
        MetricsTrackerFactory factory = pool.getMetricsTrackerFactory();
        Object registry = pool.getMetricRegistry();
        if (factory instanceof CountingFactory) {
            counting = (CountingFactory) factory;
        } else if (registry instanceof MeterRegistry) {
            micrometer = (MeterRegistry) registry;
        } else if (factory == null && registry == null) {
            CountingFactory mine = new CountingFactory(null, true);
            try {
                // a running pool takes a factory once, when it has none (HikariDataSource.setMetricsTrackerFactory)
                pool.setMetricsTrackerFactory(mine);
                counting = mine;
            } catch (IllegalStateException e) {
                LOG.warn("{} cannot count borrower timeouts of pool '{}': {}; it WARNs at most", checkName, pool.getPoolName(),
                        e.getMessage());
            }
        } else {
            LOG.warn("{} cannot see borrower timeouts of pool '{}': the pool has metrics of its own ({}). Wrap its factory with "
                    + "HikariPoolWatchdog.timeoutCounting(factory) before the pool starts so that the check can FAIL when "
                    + "borrowers time out; until then it WARNs at most", checkName, pool.getPoolName(),
                    factory != null ? factory.getClass().getName() : registry.getClass().getName());
        }
    }

    /** Counts {@code recordConnectionTimeout()} and passes every call on to the wrapped tracker, if any. */
    static final class CountingFactory implements MetricsTrackerFactory {
        private final MetricsTrackerFactory delegate;
        private final boolean installed;
        private final LongAdder timeouts = new LongAdder();

        CountingFactory(MetricsTrackerFactory delegate, boolean installed) {
            this.delegate = delegate;
            this.installed = installed;
        }

        @Override
        public IMetricsTracker create(String poolName, PoolStats poolStats) {
            IMetricsTracker inner = delegate == null ? new IMetricsTracker() { } : delegate.create(poolName, poolStats);
            return new IMetricsTracker() {
                @Override
                public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
                    inner.recordConnectionCreatedMillis(connectionCreatedMillis);
                }

                @Override
                public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
                    inner.recordConnectionAcquiredNanos(elapsedAcquiredNanos);
                }

                @Override
                public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
                    inner.recordConnectionUsageMillis(elapsedBorrowedMillis);
                }

                @Override
                public void recordConnectionTimeout() {
                    timeouts.increment();
                    inner.recordConnectionTimeout();
                }

                @Override
                public void close() {
                    inner.close();
                }
            };
        }
    }
}
