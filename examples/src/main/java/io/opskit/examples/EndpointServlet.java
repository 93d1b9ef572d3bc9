package io.opskit.examples;

import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.EndpointResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.BiFunction;

/** A thin servlet over one of opskit's shared endpoints (events, maintenance) or a JSON view of the example. */
final class EndpointServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The largest body an /ops endpoint reads: 16 KiB. */
    static final int MAX_BODY = 16 * 1024;

    private final transient BiFunction<EndpointRequest, byte[], EndpointResponse> endpoint;

    EndpointServlet(BiFunction<EndpointRequest, byte[], EndpointResponse> endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        byte[] body = new byte[0];
        if ("POST".equals(req.getMethod())) {
            try (InputStream in = req.getInputStream()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                resp.setStatus(413);
                resp.setHeader("Connection", "close");
                resp.setContentType("application/json");
                resp.getWriter().write("{\"error\":\"body over " + MAX_BODY + " bytes\"}");
                return;
            }
        }
        EndpointResponse r = endpoint.apply(view(req), body);
        resp.setStatus(r.status());
        resp.setContentType(r.contentType());
        r.headers().forEach(resp::setHeader);
        resp.setContentLength(r.length());
        if (!"HEAD".equals(req.getMethod())) {
            r.writeTo(resp.getOutputStream());
        }
    }

    private static EndpointRequest view(HttpServletRequest req) {
        return new EndpointRequest() {
            @Override
            public String method() {
                return req.getMethod();
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(req.getHeader(name));
            }

            @Override
            public String remoteAddress() {
                return req.getRemoteAddr();
            }
        };
    }
}
