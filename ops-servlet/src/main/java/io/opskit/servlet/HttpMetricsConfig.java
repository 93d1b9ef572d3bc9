package io.opskit.servlet;

import java.util.Arrays;
import java.util.Objects;

/**
 * How {@link HttpMetricsFilter} records {@code http.server.requests}: the route mapper for the
 * {@code uri} tag, the cap on distinct {@code uri} values, and the client-side percentiles
 * (p50, p95, p99 by default, so ops-core's SLO checks can read p95) and whether to publish a
 * histogram (for server-side quantiles in Prometheus; more series).
 */
public final class HttpMetricsConfig {

    /** Default cap on distinct {@code uri} tag values. */
    public static final int DEFAULT_MAX_URI_TAGS = 100;
    /** Default published percentiles. */
    public static final double[] DEFAULT_PERCENTILES = {0.5, 0.95, 0.99};
    /** The defaults. */
    public static final HttpMetricsConfig DEFAULT = builder().build();

    private final RouteMapper routeMapper;
    private final int maxUriTags;
    private final double[] percentiles;
    private final boolean histogram;

    private HttpMetricsConfig(Builder b) {
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

    @Override
    public String toString() {
        return "HttpMetricsConfig[maxUriTags=" + maxUriTags + ", percentiles=" + Arrays.toString(percentiles)
                + ", histogram=" + histogram + "]";
    }

    /** Builds an {@link HttpMetricsConfig}; every setter validates at once. */
    public static final class Builder {
        private RouteMapper routeMapper = RouteMapper.defaultMapper();
        private int maxUriTags = DEFAULT_MAX_URI_TAGS;
        private double[] percentiles = DEFAULT_PERCENTILES;
        private boolean histogram;

        private Builder() {
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
