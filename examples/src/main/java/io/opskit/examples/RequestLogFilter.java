package io.opskit.examples;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per request (method, path, status, time); runs inside the correlation filter, so it carries the ID. */
final class RequestLogFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger("request");

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        long t0 = System.nanoTime();
        try {
            chain.doFilter(req, res);
        } finally {
            String path = req.getRequestURI();
            if (path.length() > 200) {
                path = path.substring(0, 200) + "...";
            }
            LOG.info("{} {} {} {}ms", req.getMethod(), io.opskit.core.Redactor.forLog(path), res.getStatus(),
                    (System.nanoTime() - t0) / 1_000_000);
        }
    }
}
