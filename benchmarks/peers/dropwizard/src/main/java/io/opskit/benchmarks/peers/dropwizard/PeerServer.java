package io.opskit.benchmarks.peers.dropwizard;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.codahale.metrics.health.annotation.Async;
import io.dropwizard.metrics.servlets.HealthCheckServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Dropwizard Metrics peer of the opskit load benchmark, on embedded Jetty 12 (ee10).
 *
 * <p>Serves {@code GET /static} (a plain 200 "ok", the server's physical limit) and
 * {@code GET /health} through Dropwizard's {@link HealthCheckServlet} over 20 checks that each
 * take 5 ms. Settings (system property, else environment variable):
 * <ul>
 *   <li>{@code bench.port} / {@code BENCH_PORT}: the port (default 8080);</li>
 *   <li>{@code bench.hang} / {@code BENCH_HANG}: {@code true} makes the first check hang for 30 s;
 *       {@code switch} makes it hang after {@code POST /bench/hang} (to measure detection time);</li>
 *   <li>{@code bench.mode} / {@code BENCH_MODE}: {@code sequential} (the servlet's default: every
 *       request runs every check in turn), {@code parallel} (the servlet's executor option: every
 *       request runs the checks in parallel), or {@code async} (Dropwizard's {@code @Async} checks:
 *       scheduled every second, the request reads the last result).</li>
 * </ul>
 */
public final class PeerServer {

    static final int CHECKS = 20;
    static final Duration CHECK_TIME = Duration.ofMillis(5);
    static final Duration HANG_TIME = Duration.ofSeconds(30);
    static final AtomicBoolean HANGING = new AtomicBoolean();

    private PeerServer() {
    }

    /**
     * Starts the peer and blocks until the JVM is stopped.
     *
     * @param args ignored; settings come from system properties or the environment
     * @throws Exception when Jetty does not start
     */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(setting("bench.port", "8080"));
        String hang = setting("bench.hang", "false").toLowerCase(Locale.ROOT);
        HANGING.set(hang.equals("true"));
        String mode = setting("bench.mode", "sequential").toLowerCase(Locale.ROOT);

        HealthCheckRegistry registry = new HealthCheckRegistry(4);
        for (int i = 0; i < CHECKS; i++) {
            boolean first = i == 0;
            registry.register("dep" + i, mode.equals("async") ? new AsyncSleepingCheck(first) : new SleepingCheck(first));
        }

        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        if (mode.equals("parallel")) {
            ExecutorService executor = Executors.newFixedThreadPool(CHECKS);
            context.setAttribute(HealthCheckServlet.HEALTH_CHECK_EXECUTOR, executor);
        } else if (!mode.equals("sequential") && !mode.equals("async")) {
            throw new IllegalArgumentException(
                    "bench.mode must be sequential, parallel or async, but was " + mode);
        }
        context.addServlet(new ServletHolder(new HealthCheckServlet(registry)), "/health");
        context.addServlet(new ServletHolder(new StaticServlet()), "/static");
        context.addServlet(new ServletHolder(new HangSwitchServlet()), "/bench/hang");
        server.setHandler(context);
        server.start();
        System.out.println("dropwizard peer (" + mode + ", hang " + hang + ") on port " + connector.getLocalPort());
        server.join();
    }

    private static String setting(String property, String fallback) {
        String env = property.toUpperCase(Locale.ROOT).replace('.', '_');
        return System.getProperty(property, System.getenv().getOrDefault(env, fallback));
    }

    /** A dependency check that takes 5 ms, or hangs for 30 s when it may and {@link #HANGING} says so. */
    static class SleepingCheck extends HealthCheck {
        private final boolean mayHang;

        SleepingCheck(boolean mayHang) {
            this.mayHang = mayHang;
        }

        @Override
        protected Result check() throws InterruptedException {
            Thread.sleep(mayHang && HANGING.get() ? HANG_TIME.toMillis() : CHECK_TIME.toMillis());
            return Result.healthy();
        }
    }

    /** The same check as Dropwizard's asynchronous kind: run every second, the last result served. */
    @Async(period = 1, unit = TimeUnit.SECONDS, scheduleType = Async.ScheduleType.FIXED_DELAY)
    static final class AsyncSleepingCheck extends SleepingCheck {
        AsyncSleepingCheck(boolean mayHang) {
            super(mayHang);
        }
    }

    /** {@code POST /bench/hang}: the first check hangs from now on. */
    static final class HangSwitchServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
            HANGING.set(true);
            response.setContentType("text/plain");
            response.getWriter().write("hanging");
        }
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
}
