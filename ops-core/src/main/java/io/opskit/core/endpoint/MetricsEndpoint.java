package io.opskit.core.endpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;

/**
 * {@code /metrics} on the surface: the adapter brings the scrape (ops-core knows no Prometheus
 * types), this endpoint brings content negotiation ({@link MetricsFormat}) and the answer.
 * Anonymous by default, like every Prometheus target.
 */
public final class MetricsEndpoint implements OpsEndpoint {

    private static final Map<String, Role> METHODS = Map.of("GET", Role.ANONYMOUS);

    private final String path;
    private final Scraper scraper;

    private MetricsEndpoint(String path, Scraper scraper) {
        this.path = path;
        this.scraper = scraper;
    }

    /** An endpoint at {@code path} (e.g. {@code /metrics}) answering with {@code scraper}. */
    public static MetricsEndpoint create(String path, Scraper scraper) {
        if (path == null || !path.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException("metrics path must be like /metrics, but was '" + path + "'");
        }
        return new MetricsEndpoint(path, Objects.requireNonNull(scraper, "scraper must not be null"));
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Map<String, Role> methods() {
        return METHODS;
    }

    @Override
    public EndpointResponse handle(OpsRequest request) throws IOException {
        String contentType = MetricsFormat.contentTypeFor(request.header("Accept").orElse(null));
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        scraper.scrape(body, contentType);
        return new EndpointResponse(200, contentType, OpsResponses.NO_STORE, body.toByteArray());
    }

    /** Writes the metrics in a content type, e.g. Micrometer's {@code PrometheusMeterRegistry::scrape}. */
    @FunctionalInterface
    public interface Scraper {
        /** Writes every meter to {@code out} in {@code contentType}. */
        void scrape(OutputStream out, String contentType) throws IOException;
    }
}
