package io.opskit.servlet;

import io.opskit.core.Ops;
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.HealthEndpoint;
import io.opskit.core.endpoint.ShowDetails;
import io.opskit.servlet.internal.ServletEndpointRequest;
import io.opskit.servlet.internal.UnreadBody;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Serves {@code /health}, {@code /health/live}, {@code /health/ready}, {@code /health/started} and
 * {@code /health/{component:measurement}} as {@code application/health+json}: a thin translation
 * of the shared {@link HealthEndpoint} (200 for pass and warn, 503 for fail, 404 with a JSON body
 * for an unknown check, {@code Cache-Control: no-store}, HEAD with the same headers and no body).
 * Map it at {@code /health} and {@code /health/*}; the path info selects the view.
 *
 * <p>It shows check names to every caller (details per its {@link ShowDetails}). {@link OpsServlets}
 * registers {@link OpsSurfaceServlet} instead, which shows anonymous callers the aggregate only and
 * serves the rest of the operations surface with roles; prefer it.
 */
public final class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient HealthEndpoint endpoint;

    /** A servlet over {@code endpoint}. */
    public HealthServlet(HealthEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    }

    /** A servlet over {@code ops}, showing details per {@code showDetails}. */
    public HealthServlet(Ops ops, ShowDetails showDetails) {
        this(HealthEndpoint.create(ops, showDetails));
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String pathInfo = request.getPathInfo();
        String subPath = pathInfo == null ? "" : pathInfo.startsWith("/") ? pathInfo.substring(1) : pathInfo;
        EndpointResponse answer = endpoint.handle(subPath, new ServletEndpointRequest(request));
        write(answer, request, response);
    }

    static void write(EndpointResponse answer, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        UnreadBody.settle(request, response);
        response.setStatus(answer.status());
        response.setContentType(answer.contentType());
        for (Map.Entry<String, String> h : answer.headers().entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        response.setContentLength(answer.length());
        if (!"HEAD".equals(request.getMethod())) {
            answer.writeTo(response.getOutputStream());
        }
    }
}
