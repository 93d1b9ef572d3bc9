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
 * the maintenance mode it created (when the config brought none) and closes it.
 */
public final class Components implements AutoCloseable {

    private final CorrelationIdFilter correlation;
    private final MaintenanceFilter maintenance;
    private final HttpMetricsFilter httpMetrics;
    private final HealthServlet health;
    private final Optional<MetricsServlet> metrics;
    private final Optional<MaintenanceMode> owned;

    /** Builds the components; a maintenance mode is created and started when the config has none. */
    public Components(Ops ops, OpsServletConfig config) {
        this.correlation = new CorrelationIdFilter(config.correlationConfig());
        MaintenanceMode mode;
        if (config.maintenanceMode().isPresent()) {
            mode = config.maintenanceMode().get();
            owned = Optional.empty();
        } else {
            mode = MaintenanceMode.builder().events(ops.events()).build();
            mode.start();
            owned = Optional.of(mode);
        }
        this.maintenance = new MaintenanceFilter(MaintenanceGate.create(mode, config.maintenanceConfig()));
        this.httpMetrics = new HttpMetricsFilter(ops.meterRegistry(), config.httpMetricsConfig());
        this.health = new HealthServlet(ops, config.showDetails());
        this.metrics = config.prometheusRegistry().or(() -> findPrometheus(ops.meterRegistry())).map(MetricsServlet::new);
    }

    /** The correlation-ID filter. */
    public CorrelationIdFilter correlation() {
        return correlation;
    }

    /** The maintenance filter. */
    public MaintenanceFilter maintenance() {
        return maintenance;
    }

    /** The HTTP metrics filter. */
    public HttpMetricsFilter httpMetrics() {
        return httpMetrics;
    }

    /** The health servlet. */
    public HealthServlet health() {
        return health;
    }

    /** The metrics servlet, when a Prometheus registry was found. */
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
