package io.opskit.benchmarks.load;

import io.opskit.core.Ops;
import io.opskit.core.endpoint.ShowDetails;
import io.opskit.servlet.HealthServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * opskit on Jetty 12 (ee10) for the load benchmark: ops-servlet's {@link HealthServlet} at
 * {@code /health/*} over the 20 checks of {@link LoadChecks}, and a static 200 servlet at
 * {@code /static} on the same server, with Jetty's default thread pool (as the Dropwizard peer).
 */
public final class ServletLoadServer {

    private ServletLoadServer() {
    }

    /**
     * Starts the server on {@code bench.port} and blocks until the JVM stops.
     *
     * @param args ignored
     * @throws Exception when Jetty does not start
     */
    public static void main(String[] args) throws Exception {
        Ops ops = LoadChecks.ops().start();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(LoadChecks.port());
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder health = new ServletHolder(new HealthServlet(ops, ShowDetails.ALWAYS));
        context.addServlet(health, "/health");
        context.addServlet(health, "/health/*");
        context.addServlet(new ServletHolder(new StaticServlet()), "/static");
        context.addServlet(new ServletHolder(new HangSwitchServlet(true)), "/bench/hang");
        context.addServlet(new ServletHolder(new HangSwitchServlet(false)), "/bench/recover");
        server.setHandler(context);
        server.setStopAtShutdown(true);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(ops::close, "ops-close"));
        System.out.println("opskit servlet server on port " + connector.getLocalPort());
        server.join();
    }

    /** The baseline: a static 200. */
    static final class StaticServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            response.setStatus(200);
            response.setContentType("text/plain");
            response.setContentLength(OK.length);
            response.getOutputStream().write(OK);
        }
    }

    /** {@code POST /bench/hang} and {@code /bench/recover}: the first check hangs from now on, or stops hanging. */
    static final class HangSwitchServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final boolean hang;

        HangSwitchServlet(boolean hang) {
            this.hang = hang;
        }

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if (hang) {
                LoadChecks.startHanging();
            } else {
                LoadChecks.stopHanging();
            }
            response.setContentType("text/plain");
            response.getWriter().write(hang ? "hanging" : "recovered");
        }
    }
}
