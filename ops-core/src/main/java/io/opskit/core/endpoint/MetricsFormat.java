package io.opskit.core.endpoint;

/**
 * The content negotiation of {@code /metrics}, shared by every adapter: OpenMetrics when the
 * scraper's {@code Accept} asks for {@code application/openmetrics-text}, the Prometheus text
 * format otherwise. Adapters hand the chosen type to Micrometer's
 * {@code PrometheusMeterRegistry.scrape(contentType)}.
 */
public final class MetricsFormat {

    /** The Prometheus text exposition format. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** OpenMetrics text. */
    public static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private MetricsFormat() {
    }

    /** The content type to answer a scrape with, for an {@code Accept} header (which may be null). */
    public static String contentTypeFor(String accept) {
        return accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
    }
}
