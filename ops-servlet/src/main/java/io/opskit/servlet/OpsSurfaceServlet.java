package io.opskit.servlet;

import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.OpsSurface;
import io.opskit.servlet.internal.ServletEndpointRequest;
import io.opskit.servlet.internal.UnreadBody;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Serves the whole operations surface of ops-core ({@link OpsSurface}): health, probes, metrics
 * and {@code /ops/*}, with the same bytes, codes and headers as {@code OpsHttpServer}. A thin
 * translation: the surface routes, authorises and answers; this servlet copies the answer out
 * (streamed bodies such as heap dumps included, and released afterwards). {@link OpsServlets}
 * maps it at the health path, {@code /livez}, {@code /readyz}, the metrics path and {@code /ops/*}.
 */
public final class OpsSurfaceServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    private final transient OpsSurface surface;

    /** A servlet over {@code surface}. */
    public OpsSurfaceServlet(OpsSurface surface) {
        this.surface = Objects.requireNonNull(surface, "surface");
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        EndpointResponse answer = surface.handle(new ServletEndpointRequest(request));
        try {
            UnreadBody.settle(request, response);
            response.setStatus(answer.status());
            response.setContentType(answer.contentType());
            for (Map.Entry<String, String> h : answer.headers().entrySet()) {
                response.setHeader(h.getKey(), h.getValue());
            }
            if (answer.contentLength() >= 0) {
                response.setContentLengthLong(answer.contentLength());
            }
            if (!"HEAD".equals(request.getMethod())) {
                answer.writeTo(response.getOutputStream());
            }
        } finally {
            answer.release();
        }
    }
}
