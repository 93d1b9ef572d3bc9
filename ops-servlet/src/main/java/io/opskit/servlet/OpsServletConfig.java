package io.opskit.servlet;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.correlation.CorrelationIdConfig;
import io.opskit.core.endpoint.OpsSurfaceConfig;
import io.opskit.core.endpoint.ShowDetails;
import io.opskit.core.maintenance.MaintenanceConfig;
import io.opskit.core.maintenance.MaintenanceMode;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link OpsServlets#register} installs and how: paths of health and metrics, the
 * operations surface (tokens, roles, exposure), and the config of each filter. Every part can be
 * switched off.
 *
 * <pre>{@code
 * OpsServletConfig config = OpsServletConfig.builder()
 *         .surface(OpsSurfaceConfig.builder().access(OpsAccess.builder()
 *                 .token("oncall", System.getenv("OPS_OPERATOR_TOKEN"), Role.OPERATOR).build()).build())
 *         .maintenanceMode(maintenance)
 *         .maintenanceConfig(MaintenanceConfig.builder().bypassSecret(secret).build())
 *         .build();
 * }</pre>
 */
public final class OpsServletConfig {

    /** Default base path of the health servlet. */
    public static final String DEFAULT_HEALTH_PATH = "/health";
    /** Default path of the metrics servlet. */
    public static final String DEFAULT_METRICS_PATH = "/metrics";
    /** The defaults: everything on, details never shown, maintenance from {@code MAINTENANCE_MODE}. */
    public static final OpsServletConfig DEFAULT = builder().build();

    private final String healthPath;
    private final String metricsPath;
    private final ShowDetails showDetails;
    private final boolean health;
    private final boolean metrics;
    private final boolean correlation;
    private final boolean maintenance;
    private final boolean httpMetrics;
    private final boolean ops;
    private final OpsSurfaceConfig surface;
    private final CorrelationIdConfig correlationConfig;
    private final Optional<MaintenanceMode> maintenanceMode;
    private final MaintenanceConfig maintenanceConfig;
    private final HttpMetricsConfig httpMetricsConfig;
    private final Optional<PrometheusMeterRegistry> prometheusRegistry;

    private OpsServletConfig(Builder b) {
        this.healthPath = b.healthPath;
        this.metricsPath = b.metricsPath;
        this.showDetails = b.showDetails;
        this.health = b.health;
        this.metrics = b.metrics;
        this.correlation = b.correlation;
        this.maintenance = b.maintenance;
        this.httpMetrics = b.httpMetrics;
        this.ops = b.ops;
        this.surface = b.surface;
        this.correlationConfig = b.correlationConfig;
        this.maintenanceMode = b.maintenanceMode;
        this.maintenanceConfig = b.maintenanceConfig;
        this.httpMetricsConfig = b.httpMetricsConfig;
        this.prometheusRegistry = b.prometheusRegistry;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Base path of the health servlet ({@code /health}: also {@code /health/*}). */
    public String healthPath() {
        return healthPath;
    }

    /** Path of the metrics servlet. */
    public String metricsPath() {
        return metricsPath;
    }

    /** Who sees check details. */
    public ShowDetails showDetails() {
        return showDetails;
    }

    /** Whether the health servlet is registered. */
    public boolean health() {
        return health;
    }

    /** Whether the metrics servlet is registered (it also needs a Prometheus registry). */
    public boolean metrics() {
        return metrics;
    }

    /** Whether the correlation-ID filter is registered. */
    public boolean correlation() {
        return correlation;
    }

    /** Whether the maintenance filter is registered. */
    public boolean maintenance() {
        return maintenance;
    }

    /** Whether the HTTP metrics filter is registered. */
    public boolean httpMetrics() {
        return httpMetrics;
    }

    /** Whether {@code /ops/*} is served (default true; each endpoint still needs its role). */
    public boolean ops() {
        return ops;
    }

    /** The operations surface: tokens and roles, exposure, groups, limits. */
    public OpsSurfaceConfig surface() {
        return surface;
    }

    /** The correlation-ID config. */
    public CorrelationIdConfig correlationConfig() {
        return correlationConfig;
    }

    /**
     * The maintenance mode to gate on; when empty, {@link OpsServlets} creates one that reads
     * {@code MAINTENANCE_MODE}, starts it, and closes it with the servlet context.
     */
    public Optional<MaintenanceMode> maintenanceMode() {
        return maintenanceMode;
    }

    /** The maintenance decision's config. */
    public MaintenanceConfig maintenanceConfig() {
        return maintenanceConfig;
    }

    /** The HTTP metrics config. */
    public HttpMetricsConfig httpMetricsConfig() {
        return httpMetricsConfig;
    }

    /** The registry to scrape; when empty, the {@code Ops}'s registry if it is (or holds) a Prometheus one. */
    public Optional<PrometheusMeterRegistry> prometheusRegistry() {
        return prometheusRegistry;
    }

    /** Builds an {@link OpsServletConfig}; every setter validates at once. */
    public static final class Builder {
        private String healthPath = DEFAULT_HEALTH_PATH;
        private String metricsPath = DEFAULT_METRICS_PATH;
        private ShowDetails showDetails = ShowDetails.NEVER;
        private boolean health = true;
        private boolean metrics = true;
        private boolean correlation = true;
        private boolean maintenance = true;
        private boolean httpMetrics = true;
        private boolean ops = true;
        private OpsSurfaceConfig surface = OpsSurfaceConfig.DEFAULT;
        private CorrelationIdConfig correlationConfig = CorrelationIdConfig.DEFAULT;
        private Optional<MaintenanceMode> maintenanceMode = Optional.empty();
        private MaintenanceConfig maintenanceConfig = MaintenanceConfig.DEFAULT;
        private HttpMetricsConfig httpMetricsConfig = HttpMetricsConfig.DEFAULT;
        private Optional<PrometheusMeterRegistry> prometheusRegistry = Optional.empty();

        private Builder() {
        }

        /** Base path of the health servlet (default {@code /health}). */
        public Builder healthPath(String path) {
            this.healthPath = path("healthPath", path, DEFAULT_HEALTH_PATH);
            return this;
        }

        /** Path of the metrics servlet (default {@code /metrics}). */
        public Builder metricsPath(String path) {
            this.metricsPath = path("metricsPath", path, DEFAULT_METRICS_PATH);
            return this;
        }

        /**
         * Who may use the operations surface and what it serves (default {@link OpsSurfaceConfig#DEFAULT}:
         * no tokens, so {@code /ops/*} answers 401 and health shows the aggregate only).
         */
        public Builder surface(OpsSurfaceConfig value) {
            this.surface = Objects.requireNonNull(value, "surface must not be null: use OpsSurfaceConfig.DEFAULT");
            return this;
        }

        /** Whether to serve {@code /ops/*} (default true). */
        public Builder ops(boolean on) {
            this.ops = on;
            return this;
        }

        /**
         * Also shows check names and details to the requests {@code showDetails} accepts, whatever
         * their role (default {@link ShowDetails#NEVER}: roles of {@link #surface} decide alone).
         */
        public Builder showDetails(ShowDetails showDetails) {
            this.showDetails = Objects.requireNonNull(showDetails, "showDetails");
            return this;
        }

        /** Whether to register the health servlet (default true). */
        public Builder health(boolean on) {
            this.health = on;
            return this;
        }

        /** Whether to register the metrics servlet (default true). */
        public Builder metrics(boolean on) {
            this.metrics = on;
            return this;
        }

        /** Whether to register the correlation-ID filter (default true). */
        public Builder correlation(boolean on) {
            this.correlation = on;
            return this;
        }

        /** Whether to register the maintenance filter (default true). */
        public Builder maintenance(boolean on) {
            this.maintenance = on;
            return this;
        }

        /** Whether to register the HTTP metrics filter (default true). */
        public Builder httpMetrics(boolean on) {
            this.httpMetrics = on;
            return this;
        }

        /** The correlation-ID config. */
        public Builder correlationConfig(CorrelationIdConfig config) {
            this.correlationConfig = Objects.requireNonNull(config, "correlationConfig");
            return this;
        }

        /** The maintenance mode to gate on (you start and close it). */
        public Builder maintenanceMode(MaintenanceMode mode) {
            this.maintenanceMode = Optional.of(Objects.requireNonNull(mode, "maintenanceMode"));
            return this;
        }

        /** The maintenance decision's config; it must let the health and metrics paths through. */
        public Builder maintenanceConfig(MaintenanceConfig config) {
            this.maintenanceConfig = Objects.requireNonNull(config, "maintenanceConfig");
            return this;
        }

        /**
         * The HTTP metrics config; the health and metrics paths of this config are excluded from
         * recording in addition to its {@link HttpMetricsConfig#excludedPaths()}.
         */
        public Builder httpMetricsConfig(HttpMetricsConfig config) {
            this.httpMetricsConfig = Objects.requireNonNull(config, "httpMetricsConfig");
            return this;
        }

        /** The registry the metrics servlet scrapes. */
        public Builder prometheusRegistry(PrometheusMeterRegistry registry) {
            this.prometheusRegistry = Optional.of(Objects.requireNonNull(registry, "prometheusRegistry"));
            return this;
        }

        /**
         * The config.
         *
         * @throws IllegalArgumentException when the maintenance filter would block the health or metrics path
         */
        public OpsServletConfig build() {
            if (maintenance && health && !maintenanceConfig.passesThrough(healthPath + "/ready")) {
                throw new IllegalArgumentException("maintenanceConfig must let healthPath through, but " + healthPath
                        + " is blocked during maintenance: add MaintenanceConfig.builder().passThrough(\"" + healthPath
                        + "\") or probes fail and pods restart during maintenance");
            }
            if (maintenance && metrics && !maintenanceConfig.passesThrough(metricsPath)) {
                throw new IllegalArgumentException("maintenanceConfig must let metricsPath through, but " + metricsPath
                        + " is blocked during maintenance: add MaintenanceConfig.builder().passThrough(\"" + metricsPath
                        + "\")");
            }
            // a moved health or metrics path is still a probe or a scrape, never traffic
            httpMetricsConfig = httpMetricsConfig.alsoExcluding(healthPath, metricsPath);
            return new OpsServletConfig(this);
        }

        private static String path(String field, String p, String example) {
            if (p == null || !p.matches("/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-]")) {
                throw new IllegalArgumentException(field + " must be a path like " + example
                        + " (starting with '/', no trailing '/', no wildcards), but was '" + p + "': use e.g. \""
                        + example + "\"");
            }
            return p;
        }
    }
}
