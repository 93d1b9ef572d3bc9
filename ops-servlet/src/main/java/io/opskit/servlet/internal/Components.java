package io.opskit.servlet.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.Ops;
import io.opskit.core.maintenance.MaintenanceGate;
import io.opskit.core.maintenance.MaintenanceMode;
import io.opskit.servlet.CorrelationIdFilter;
import io.opskit.servlet.HealthServlet;
import io.opskit.servlet.HttpMetricsFilter;
import io.opskit.servlet.MaintenanceFilter;
import io.opskit.servlet.MetricsServlet;
import io.opskit.servlet.OpsServletConfig;
import java.util.Optional;

/**
 * The filters and servlets for one application, built from its {@link Ops} and config. Owns
 * the maintenance mode it created (when the config brought none) and closes it. Internal: the
 * filter accessors answer null for parts the config switched off.
 */
public final class Components implements AutoCloseable {

    private final CorrelationIdFilter correlation;
    private final MaintenanceFilter maintenance;
    private final HttpMetricsFilter httpMetrics;
    private final HealthServlet health;
    private final Optional<MetricsServlet> metrics;
    private final Optional<MaintenanceMode> owned;

    /**
     * Builds the components the config switches on; a maintenance mode is created and started
     * when the maintenance filter is on and the config brought none.
     */
    public Components(Ops ops, OpsServletConfig config) {
        this.correlation = config.correlation() ? new CorrelationIdFilter(config.correlationConfig()) : null;
        if (!config.maintenance()) {
            this.maintenance = null;
            this.owned = Optional.empty();
        } else {
            MaintenanceMode mode;
            if (config.maintenanceMode().isPresent()) {
                mode = config.maintenanceMode().get();
                owned = Optional.empty();
            } else {
                mode = MaintenanceMode.builder().events(ops.events()).build();
                mode.start();
                owned = Optional.of(mode);
            }
            // refused requests counted where /metrics scrapes, bypasses audited with every other action
            this.maintenance = new MaintenanceFilter(MaintenanceGate.builder(mode, config.maintenanceConfig())
                    .meterRegistry(ops.meterRegistry()).events(ops.events()).build());
        }
        this.httpMetrics = config.httpMetrics()
                ? new HttpMetricsFilter(ops.meterRegistry(), config.httpMetricsConfig()) : null;
        this.health = config.health() ? new HealthServlet(ops, config.showDetails()) : null;
        this.metrics = config.metrics()
                ? config.prometheusRegistry().or(() -> findPrometheus(ops.meterRegistry())).map(MetricsServlet::new)
                : Optional.empty();
    }

    // the accessors below answer null for a part the config switched off: LazyFilter then passes through

    /** The correlation-ID filter, or null when switched off. */
    public CorrelationIdFilter correlation() {
        return correlation;
    }

    /** The maintenance filter, or null when switched off. */
    public MaintenanceFilter maintenance() {
        return maintenance;
    }

    /** The HTTP metrics filter, or null when switched off. */
    public HttpMetricsFilter httpMetrics() {
        return httpMetrics;
    }

    /** The health servlet, if switched on. */
    public Optional<HealthServlet> health() {
        return Optional.ofNullable(health);
    }

    /** The metrics servlet, when switched on and a Prometheus registry was found. */
    public Optional<MetricsServlet> metrics() {
        return metrics;
    }

    /** A Prometheus registry that is, or is inside, {@code registry}. */
    public static Optional<PrometheusMeterRegistry> findPrometheus(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry prometheus) {
            return Optional.of(prometheus);
        }
        if (registry instanceof CompositeMeterRegistry composite) {
            for (MeterRegistry r : composite.getRegistries()) {
                Optional<PrometheusMeterRegistry> found = findPrometheus(r);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** Closes the maintenance mode this object created. */
    @Override
    public void close() {
        owned.ifPresent(MaintenanceMode::close);
    }
}
