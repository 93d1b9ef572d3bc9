package io.opskit.examples;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The first filter on {@code PORT}: TRACE answers 405 on every path (Jetty's servlets would echo the
 * request's headers, cookies, {@code Authorization} and the maintenance bypass secret included), and a
 * body declared larger than {@value #MAX_BODY} bytes answers 413 before anything reads it. Bodies
 * without a declared length are bounded where they are read ({@link ItemsServlet}, {@link EndpointServlet}).
 */
final class RequestGuardFilter extends HttpFilter {

    /** The largest request body the API accepts: 64 KiB. */
    static final int MAX_BODY = 64 * 1024;
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        if ("TRACE".equalsIgnoreCase(req.getMethod())) {
            res.setHeader("Allow", "GET, HEAD, POST");
            reject(res, 405, "TRACE is not allowed");
            return;
        }
        if (req.getContentLengthLong() > MAX_BODY) {
            res.setHeader("Connection", "close");   // the rest of the body is not read: do not reuse the connection
            reject(res, 413, "request body over " + MAX_BODY + " bytes");
            return;
        }
        chain.doFilter(req, res);
    }

    static void reject(HttpServletResponse res, int status, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json");
        res.getWriter().write("{\"error\":\"" + message + "\"}");
    }
}
