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
 * body declared larger than {@value #MAX_BODY} bytes answers 413 before anything parses it (read and thrown
 * away up to {@link #MAX_SWALLOW}, so the client gets the answer instead of a reset). Bodies
 * without a declared length are bounded where they are read ({@link ItemsServlet}, and the operations surface, which refuses bodies over its limit with 413).
 */
final class RequestGuardFilter extends HttpFilter {

    /** The largest request body the API accepts: 64 KiB. */
    static final int MAX_BODY = 64 * 1024;
    /**
     * How much of a refused body is read and thrown away before the 413 (as Tomcat's maxSwallowSize does): a
     * client still sending its body when the server closes the connection gets a reset instead of the answer.
     * Beyond it, the answer says {@code Connection: close} and the client may see the reset.
     */
    static final long MAX_SWALLOW = 1024 * 1024;
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        if ("TRACE".equalsIgnoreCase(req.getMethod())) {
            res.setHeader("Allow", "GET, HEAD, POST");
            reject(res, 405, "TRACE is not allowed");
            return;
        }
        if (req.getContentLengthLong() > MAX_BODY) {
            if (!swallow(req, MAX_SWALLOW)) {
                res.setHeader("Connection", "close");   // the rest of the body is not read: do not reuse the connection
            }
            reject(res, 413, "request body over " + MAX_BODY + " bytes");
            return;
        }
        chain.doFilter(req, res);
    }

    /**
     * Reads and discards at most {@code limit} more bytes of the body; true when it was read to its end. Blocking
     * reads, bounded by the container's idle timeout against a client that sends slowly.
     */
    static boolean swallow(HttpServletRequest req, long limit) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            return false;
        }
        java.io.InputStream in = req.getInputStream();
        byte[] buffer = new byte[8192];
        long read = 0;
        int n;
        while (read <= limit && (n = in.read(buffer)) >= 0) {
            read += n;
        }
        return read <= limit;
    }

    static void reject(HttpServletResponse res, int status, String message) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json");
        res.getWriter().write("{\"error\":\"" + message + "\"}");
    }
}
