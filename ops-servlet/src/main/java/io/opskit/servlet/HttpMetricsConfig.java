package io.opskit.servlet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * How {@link HttpMetricsFilter} records {@code http.server.requests}: the route mapper for the
 * {@code uri} tag, the cap on distinct {@code uri} values, and the client-side percentiles
 * (p50, p95, p99 by default, so ops-core's SLO checks can read p95) and whether to publish a
 * histogram (for server-side quantiles in Prometheus; more series), and the paths that are not
 * traffic: probes, scrapes and operator endpoints ({@link #DEFAULT_EXCLUDED_PATHS}) are not recorded,
 * so a readiness probe answering 503 during an outage never shows up as an API error.
 */
public final class HttpMetricsConfig {

    /** Default cap on distinct {@code uri} tag values. */
    public static final int DEFAULT_MAX_URI_TAGS = 100;
    /** Default published percentiles. */
    public static final double[] DEFAULT_PERCENTILES = {0.5, 0.95, 0.99};
    /**
     * Path prefixes not recorded by default: health and metrics, the operator endpoints, and the
     * usual probe paths. A prefix matches the path itself and what follows it after a {@code /} or a
     * {@code .} ({@code /health} matches {@code /health/ready}, not {@code /healthcare}).
     */
    public static final List<String> DEFAULT_EXCLUDED_PATHS = List.of("/health", "/metrics", "/ops", "/livez", "/readyz",
            "/healthz");
    /** The defaults. */
    public static final HttpMetricsConfig DEFAULT = builder().build();

    private final RouteMapper routeMapper;
    private final int maxUriTags;
    private final double[] percentiles;
    private final boolean histogram;
    private final List<String> excludedPaths;

    private HttpMetricsConfig(Builder b) {
        this.excludedPaths = List.copyOf(b.excludedPaths);
        this.routeMapper = b.routeMapper;
        this.maxUriTags = b.maxUriTags;
        this.percentiles = b.percentiles.clone();
        this.histogram = b.histogram;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The route mapper. */
    public RouteMapper routeMapper() {
        return routeMapper;
    }

    /** The cap on distinct {@code uri} values; later ones are tagged {@code UNKNOWN}. */
    public int maxUriTags() {
        return maxUriTags;
    }

    /** The published percentiles (a copy). */
    public double[] percentiles() {
        return percentiles.clone();
    }

    /** Whether a percentile histogram is published. */
    public boolean histogram() {
        return histogram;
    }

    /** The path prefixes that are not recorded. */
    public List<String> excludedPaths() {
        return excludedPaths;
    }

    /** Whether a request to {@code path} (context-relative) is left out of {@code http.server.requests}. */
    public boolean isExcluded(String path) {
        for (int i = 0, n = excludedPaths.size(); i < n; i++) {
            String prefix = excludedPaths.get(i);
            if (path.startsWith(prefix) && (path.length() == prefix.length() || prefix.endsWith("/")
                    || path.charAt(prefix.length()) == '/' || path.charAt(prefix.length()) == '.')) {
                return true;
            }
        }
        return false;
    }

    /** This config with {@code paths} excluded as well (used for a moved health or metrics path). */
    HttpMetricsConfig alsoExcluding(String... paths) {
        Builder b = new Builder();
        b.routeMapper = routeMapper;
        b.maxUriTags = maxUriTags;
        b.percentiles = percentiles;
        b.histogram = histogram;
        LinkedHashSet<String> all = new LinkedHashSet<>(excludedPaths);
        for (String p : paths) {
            if (!isExcluded(p)) {
                all.add(p);
            }
        }
        b.excludedPaths = List.copyOf(all);
        return new HttpMetricsConfig(b);
    }

    @Override
    public String toString() {
        return "HttpMetricsConfig[maxUriTags=" + maxUriTags + ", percentiles=" + Arrays.toString(percentiles)
                + ", histogram=" + histogram + ", excludedPaths=" + excludedPaths + "]";
    }

    /** Builds an {@link HttpMetricsConfig}; every setter validates at once. */
    public static final class Builder {
        private RouteMapper routeMapper = RouteMapper.defaultMapper();
        private int maxUriTags = DEFAULT_MAX_URI_TAGS;
        private double[] percentiles = DEFAULT_PERCENTILES;
        private boolean histogram;
        private List<String> excludedPaths = DEFAULT_EXCLUDED_PATHS;

        private Builder() {
        }

        /**
         * Path prefixes whose requests are not recorded, replacing {@link #DEFAULT_EXCLUDED_PATHS}
         * (pass none to record everything, probes included). Each starts with {@code /}, holds no
         * wildcard, and is not {@code /} alone (that would record nothing: use
         * {@code OpsServletConfig.builder().httpMetrics(false)}).
         */
        public Builder excludePaths(String... prefixes) {
            Objects.requireNonNull(prefixes, "excludePaths");
            List<String> out = new ArrayList<>();
            for (String p : prefixes) {
                if (p == null || !p.matches("/[A-Za-z0-9._~/-]*") || "/".equals(p)) {
                    throw new IllegalArgumentException("excludePaths must each be a path prefix like /health (starting"
                            + " with '/', no wildcards, not '/' alone), but was '" + p + "': use e.g. \"/internal\", or"
                            + " httpMetrics(false) to record nothing");
                }
                out.add(p);
            }
            this.excludedPaths = List.copyOf(new LinkedHashSet<>(out));
            return this;
        }

        /** How routes are named (default {@link RouteMapper#defaultMapper()}). */
        public Builder routeMapper(RouteMapper routeMapper) {
            this.routeMapper = Objects.requireNonNull(routeMapper, "routeMapper");
            return this;
        }

        /** The cap on distinct {@code uri} values, 1 to 10,000 (default 100). */
        public Builder maxUriTags(int max) {
            if (max < 1 || max > 10_000) {
                throw new IllegalArgumentException("maxUriTags must be between 1 and 10000, but was " + max
                        + ": use e.g. " + DEFAULT_MAX_URI_TAGS);
            }
            this.maxUriTags = max;
            return this;
        }

        /** Client-side percentiles to publish, each in (0, 1); none to publish none. */
        public Builder percentiles(double... percentiles) {
            Objects.requireNonNull(percentiles, "percentiles");
            for (double p : percentiles) {
                if (!(p > 0 && p < 1)) {
                    throw new IllegalArgumentException("percentiles must each be between 0 and 1 (exclusive), but was "
                            + p + ": use e.g. 0.95");
                }
            }
            this.percentiles = percentiles.clone();
            return this;
        }

        /** Whether to publish a percentile histogram (default false: one bucket series per boundary per tag set). */
        public Builder histogram(boolean histogram) {
            this.histogram = histogram;
            return this;
        }

        /** The config. */
        public HttpMetricsConfig build() {
            return new HttpMetricsConfig(this);
        }
    }
}
