package io.opskit.spring.boot;

import com.zaxxer.hikari.HikariDataSource;
import io.opskit.core.Ops;
import io.opskit.jdbc.DataSourceHealthCheck;
import io.opskit.jdbc.DatabaseChecks;
import io.opskit.jdbc.HikariMetrics;
import io.opskit.jdbc.HikariPoolWatchdog;
import io.opskit.jdbc.IdleConnectionReaper;
import io.opskit.jdbc.JdbcOps;
import io.opskit.jdbc.LeakTracker;
import io.opskit.jdbc.PoolSessions;
import io.opskit.jdbc.QueryMonitor;
import io.opskit.jdbc.ReaperConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Puts opskit on the pools the application already uses, as each {@link DataSource} bean is made:
 * one {@link LeakTracker} and one {@link QueryMonitor} around it (the bean becomes their
 * datasource-proxy wrapper, which unwraps to the pool), a {@link HikariPoolWatchdog} on a HikariCP
 * pool, and the checks: {@code db:connection} (with {@code postgres:connections} and
 * {@code postgres:transactions} on PostgreSQL), {@code db:connectionLeaks}, {@code db:responseTime},
 * {@code hikari:utilization}, and the operations endpoints {@code /ops/leaks}, {@code /ops/slow-queries} and
 * {@code /ops/pool} (the first pool's). A second DataSource gets {@code <bean>:connection}. The idle-connection
 * reaper is opt-in ({@code opskit.jdbc.reaper.enabled}), for HikariCP pools on PostgreSQL.
 */
public final class OpsDataSources implements BeanPostProcessor, Ordered, DisposableBean {

    private static final boolean HIKARI = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
            OpsDataSources.class.getClassLoader());

    private final ObjectProvider<Ops> ops;
    private final OpsProperties.Jdbc properties;
    private final LeakTracker leaks;
    private final QueryMonitor queries;
    private final AtomicBoolean first = new AtomicBoolean(true);
    private final AtomicBoolean bound = new AtomicBoolean();
    private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

    OpsDataSources(ObjectProvider<Ops> ops, OpsProperties.Jdbc properties) {
        this.ops = ops;
        this.properties = properties;
        this.leaks = LeakTracker.builder().threshold(properties.getLeakThreshold()).build();
        this.queries = QueryMonitor.create();
    }

    /** The leak tracker around the application's pools (for {@code /ops/leaks}). */
    public LeakTracker leakTracker() {
        return leaks;
    }

    /** The query monitor around the application's pools (for {@code /ops/slow-queries}). */
    public QueryMonitor queryMonitor() {
        return queries;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (!(bean instanceof DataSource dataSource) || !properties.isEnabled()) {
            return bean;
        }
        Ops o = ops.getObject();
        boolean primary = first.compareAndSet(true, false);
        boolean postgres = false;
        if (HIKARI && bean instanceof HikariDataSource hikari) {
            postgres = hikari.getJdbcUrl() != null && hikari.getJdbcUrl().startsWith("jdbc:postgresql:");
            Hikari.attach(this, o, hikari, beanName, primary, postgres);
        }
        DataSource app = dataSource;
        if (properties.isLeaks() || properties.isQueries()) {
            app = JdbcOps.instrument(dataSource, leaks, queries);
            if (bound.compareAndSet(false, true)) {
                if (properties.isLeaks()) {
                    o.attach(leaks);
                }
                if (properties.isQueries()) {
                    o.attach(queries);
                }
            }
        }
        if (primary && postgres) {
            o.attach(DatabaseChecks.postgres(app));
        } else if (primary) {
            o.attach(DatabaseChecks.generic(app));
        } else {
            o.attach(DatabaseChecks.of(DataSourceHealthCheck.builder(app).name(beanName + ":connection").build()));
        }
        return app;
    }

    /**
     * What only a HikariCP pool gets, in a class of its own: the verifier of a class that casts to
     * {@code HikariConfig} loads HikariCP, so an application without it (no database at all) would
     * fail to start if this code sat in {@link OpsDataSources} itself.
     */
    private static final class Hikari {

        private Hikari() {
        }

        static void attach(OpsDataSources owner, Ops o, HikariDataSource hikari, String beanName, boolean primary,
                boolean postgres) {
            OpsProperties.Jdbc properties = owner.properties;
            LeakTracker leaks = owner.leaks;
            List<AutoCloseable> resources = owner.resources;
            OpsProperties.Reaper reaper = properties.getReaper();
            if (reaper.isEnabled() && postgres && !hikari.isRunning()) {
                PoolSessions.track((com.zaxxer.hikari.HikariConfig) hikari);   // before the pool opens its first connection
                IdleConnectionReaper r = IdleConnectionReaper.builder(hikari)
                        .name(primary ? "postgres:reaper" : beanName + ":reaper")
                        .config(ReaperConfig.builder().idleTimeout(reaper.getIdleTimeout()).interval(reaper.getInterval())
                                .dryRun(reaper.isDryRun()).build())
                        .events(o.events()).scheduler(o.scheduler()).build();
                o.attach(r);
                resources.add(r.start());
            }
            if (properties.isWatchdog()) {
                // HikariCP's own meters (hikaricp.*, whose timeout counter the watchdog reads) in the Ops registry; Boot's
                // binder then finds the pool reporting and steps aside, so every pool meter is bound exactly once
                HikariMetrics.bind(hikari, o.meterRegistry());
                HikariPoolWatchdog.Builder w = HikariPoolWatchdog.builder(hikari).events(o.events()).scheduler(o.scheduler());
                if (properties.isLeaks()) {
                    w.leakTracker(leaks);
                }
                if (!primary) {
                    w.name("hikari-" + beanName + ":utilization");
                }
                HikariPoolWatchdog watchdog = w.build();
                // hikari:utilization and its gauges; /ops/pool (served by the opskit Actuator endpoint) is the first
                // pool's: attaching a second pool's watchdog leaves the path to it
                o.attach(watchdog);
                resources.add(watchdog.start());
            }
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;    // after Boot has bound spring.datasource.* onto the pool
    }

    @Override
    public void destroy() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception e) {
                // closing on shutdown: nothing left to tell
            }
        }
    }
}
