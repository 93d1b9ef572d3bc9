package io.opskit.benchmarks.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opskit.core.Ops;
import io.opskit.core.endpoint.ShowDetails;
import io.opskit.http.OpsHttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * opskit's standalone management server for the load benchmark: ops-http's {@link OpsHttpServer}
 * on {@code bench.port} over the 20 checks of {@link LoadChecks}.
 *
 * <p>{@code OpsHttpServer} serves only opskit's own paths, so the static baseline is its twin: a
 * JDK {@code HttpServer} in the same JVM on {@code bench.staticPort}, built the way
 * {@code OpsHttpServer} builds its own (the same worker pool of {@link OpsHttpServer#DEFAULT_THREADS}
 * threads with a bounded queue and caller-runs, the same backlog, {@code TCP_NODELAY}, and the same
 * response writing), answering {@code GET /static} with 200 "ok", {@code POST /bench/hang} and {@code POST /bench/recover}.
 */
public final class HttpLoadServer {

    private static final byte[] OK = "ok".getBytes(StandardCharsets.US_ASCII);

    private HttpLoadServer() {
    }

    /**
     * Starts both servers and blocks until the JVM stops.
     *
     * @param args ignored
     * @throws Exception when a server does not start
     */
    public static void main(String[] args) throws Exception {
        Ops ops = LoadChecks.ops().start();
        InetAddress loopback = InetAddress.getLoopbackAddress();
        // -Dbench.threads: the worker count of both servers (default: OpsHttpServer's)
        int threads = Integer.parseInt(LoadChecks.setting("bench.threads", String.valueOf(OpsHttpServer.DEFAULT_THREADS)));
        OpsHttpServer management = OpsHttpServer.builder(ops)
                .threads(threads)
                .address(loopback)
                .port(LoadChecks.port())
                .showDetails(ShowDetails.ALWAYS)
                .build()
                .start();

        int staticPort = Integer.parseInt(LoadChecks.setting("bench.staticPort", "0"));
        HttpServer twin = HttpServer.create(new InetSocketAddress(loopback, staticPort), OpsHttpServer.DEFAULT_BACKLOG);
        ThreadPoolExecutor workers = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(OpsHttpServer.DEFAULT_QUEUE), r -> {
                    Thread t = new Thread(r, "static-http");
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        twin.setExecutor(workers);
        twin.createContext("/static", ex -> write(ex, 200, OK));
        twin.createContext("/bench/hang", ex -> {
            LoadChecks.startHanging();
            write(ex, 200, "hanging".getBytes(StandardCharsets.US_ASCII));
        });
        twin.createContext("/bench/recover", ex -> {
            LoadChecks.stopHanging();
            write(ex, 200, "recovered".getBytes(StandardCharsets.US_ASCII));
        });
        twin.start();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            twin.stop(0);
            workers.shutdownNow();
            management.close();
            ops.close();
        }, "bench-close"));
        System.out.println("opskit http server on port " + management.port() + ", static twin on port "
                + twin.getAddress().getPort());
        Thread.currentThread().join();
    }

    private static void write(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        try {
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        } finally {
            ex.close();
        }
    }
}
