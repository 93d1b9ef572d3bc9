package io.opskit.servlet;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.servlet.internal.UnreadBody;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Objects;

/**
 * Serves a Micrometer {@link PrometheusMeterRegistry} in the Prometheus text exposition format,
 * or in OpenMetrics when the scraper's {@code Accept} asks for
 * {@code application/openmetrics-text}. GET and HEAD; {@code Cache-Control: no-store}.
 */
public final class MetricsServlet extends HttpServlet {

    /** Content type of the Prometheus text format. */
    public static final String PROMETHEUS_TEXT = io.opskit.core.endpoint.MetricsFormat.PROMETHEUS_TEXT;
    /** Content type of OpenMetrics text. */
    public static final String OPENMETRICS_TEXT = io.opskit.core.endpoint.MetricsFormat.OPENMETRICS_TEXT;

    private static final long serialVersionUID = 1L;

    private final transient PrometheusMeterRegistry registry;

    /** A servlet scraping {@code registry}. */
    public MetricsServlet(PrometheusMeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            UnreadBody.settle(request, response);
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        String accept = request.getHeader("Accept");
        String contentType = io.opskit.core.endpoint.MetricsFormat.contentTypeFor(accept);
        ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
        registry.scrape(body, contentType);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(contentType);
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.size());
        if (!"HEAD".equals(method)) {
            body.writeTo(response.getOutputStream());
        }
    }
}
