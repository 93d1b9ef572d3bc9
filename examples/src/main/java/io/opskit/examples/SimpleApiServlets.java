package io.opskit.examples;

import io.opskit.core.Result;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/** The small endpoints of the example API: ping (the load-test baseline), slow, fail. */
final class SimpleApiServlets {

    /** The most {@code /api/slow} sleeps, so a request cannot hold a thread for long. */
    static final int MAX_SLOW_MS = 10_000;

    private SimpleApiServlets() {
    }

    /** {@code GET /api/ping}: a static 200. */
    static final class Ping extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final byte[] PONG = "{\"pong\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("application/json");
            resp.setContentLength(PONG.length);
            resp.getOutputStream().write(PONG);
        }
    }

    /** {@code GET /api/fail}: a 500, to move the error ratio. */
    static final class Fail extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setStatus(500);
            resp.setContentType("application/json");
            resp.getWriter().write("{\"error\":\"failed on purpose\"}");
        }
    }

    /**
     * {@code GET /api/slow?ms=N}: answers after N ms (at most {@value #MAX_SLOW_MS}); with
     * {@code db=true} the wait is a {@code pg_sleep} in the database, so it shows as a slow query.
     */
    static final class Slow extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient DataSource dataSource;

        Slow(DataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            int ms;
            try {
                ms = Integer.parseInt(req.getParameter("ms") == null ? "100" : req.getParameter("ms"));
            } catch (NumberFormatException e) {
                resp.sendError(400, "ms must be a whole number of milliseconds");
                return;
            }
            ms = Math.max(0, Math.min(ms, MAX_SLOW_MS));
            boolean db = "true".equals(req.getParameter("db"));
            try {
                if (db) {
                    try (Connection c = dataSource.getConnection();
                         PreparedStatement ps = c.prepareStatement("SELECT pg_sleep(?)")) {
                        ps.setDouble(1, ms / 1000.0);
                        ps.execute();
                    }
                } else {
                    Thread.sleep(ms);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                resp.sendError(503, "interrupted");
                return;
            } catch (SQLException e) {
                resp.setStatus(503);
                resp.setContentType("application/json");
                resp.getWriter().write("{\"error\":\"" + Result.describe(e).replace("\"", "'") + "\"}");
                return;
            }
            resp.setContentType("application/json");
            resp.getWriter().write("{\"sleptMs\":" + ms + ",\"db\":" + db + "}");
        }
    }
}
