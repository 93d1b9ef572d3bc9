package io.opskit.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.Ops;
import io.opskit.core.Redactor;
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.EventsEndpoint;
import io.opskit.core.endpoint.HealthEndpoint;
import io.opskit.core.endpoint.ShowDetails;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone management server on its own port, for applications without a servlet
 * container or that want health apart from their traffic (like Actuator's management port):
 * {@code /health}, {@code /health/live}, {@code /health/ready}, {@code /health/started},
 * {@code /health/{component:measurement}} and {@code /metrics}, on the JDK's
 * {@code com.sun.net.httpserver}.
 *
 * <pre>{@code
 * OpsHttpServer server = OpsHttpServer.builder(ops).port(8081).prometheus(prometheusRegistry).build().start();
 * ops.installShutdownHook(Duration.ofSeconds(5), server);
 * }</pre>
 *
 * <p>It is a thin adapter: health answers come from ops-core's {@link HealthEndpoint} (the same
 * bytes, status and headers as the servlet for the same snapshot, served from a cache, never
 * running a check), metrics from {@link PrometheusMeterRegistry#scrape} (OpenMetrics when the
 * {@code Accept} header asks for {@code application/openmetrics-text}). Requests are handled on
 * a fixed number of worker threads; when all are busy and the queue is full, the accepting
 * thread answers itself, which slows accepting instead of growing anything.
 * {@link #close()} stops the server and joins its threads (named {@code opskit-http-<port>-<n>}).
 *
 * <p>The JDK server writes headers and body in two writes; without {@code TCP_NODELAY} a
 * keep-alive client then waits for a delayed ACK (about 40 ms) on every answer. Unless the
 * application set it, this class therefore sets the JDK's {@code sun.net.httpserver.nodelay}
 * property to {@code true} before the first server of the JVM is created.
 */
public final class OpsHttpServer implements AutoCloseable {

    /** Default port: 8081. */
    public static final int DEFAULT_PORT = 8081;
    /** Default worker threads: 4. */
    public static final int DEFAULT_THREADS = 4;
    /** Default accept backlog: 1024 connections. */
    public static final int DEFAULT_BACKLOG = 1024;
    /** Default queue of requests waiting for a worker: 10,000. */
    public static final int DEFAULT_QUEUE = 10_000;
    /** Content type of the Prometheus text format. */
    public static final String PROMETHEUS_TEXT = io.opskit.core.endpoint.MetricsFormat.PROMETHEUS_TEXT;
    /** Content type of OpenMetrics text. */
    public static final String OPENMETRICS_TEXT = io.opskit.core.endpoint.MetricsFormat.OPENMETRICS_TEXT;

    private static final Logger LOG = LoggerFactory.getLogger(OpsHttpServer.class);
    private static final String NODELAY = "sun.net.httpserver.nodelay";

    static {
        if (System.getProperty(NODELAY) == null) {
            System.setProperty(NODELAY, "true");
        }
    }

    private final Builder config;
    private final HealthEndpoint health;
    private final Optional<EventsEndpoint> events;
    private final Optional<PrometheusMeterRegistry> prometheus;
    private final AtomicInteger threadNumber = new AtomicInteger();
    private HttpServer server;
    private ThreadPoolExecutor workers;
    private boolean closed;

    private OpsHttpServer(Builder b) {
        this.config = b;
        this.health = HealthEndpoint.create(b.ops, b.showDetails);
        this.events = b.eventsPath == null ? Optional.empty() : Optional.of(EventsEndpoint.create(b.ops.events()));
        this.prometheus = b.prometheus != null ? Optional.of(b.prometheus) : find(b.ops.meterRegistry());
    }

    /** Starts configuring a management server over {@code ops}. */
    public static Builder builder(Ops ops) {
        return new Builder(ops);
    }

    /**
     * Binds the port and starts serving; returns this.
     *
     * @throws UncheckedIOException  if the port cannot be bound
     * @throws IllegalStateException if started twice or after close
     */
    public synchronized OpsHttpServer start() {
        if (server != null || closed) {
            throw new IllegalStateException("OpsHttpServer can be started once: build a new one");
        }
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(config.address, config.port), config.backlog);
        } catch (IOException e) {
            throw new UncheckedIOException("could not bind the management server to " + config.address.getHostAddress() + ":"
                    + config.port + " (" + e.getMessage() + "): choose a free port, or 0 for any", e);
        }
        String prefix = "opskit-http-" + s.getAddress().getPort() + "-";
        workers = new ThreadPoolExecutor(config.threads, config.threads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(config.queue), r -> {
                    Thread t = new Thread(r, prefix + threadNumber.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        s.setExecutor(workers);
        noTrace(s.createContext(config.healthPath, this::health));
        noTrace(s.createContext(config.metricsPath, this::metrics));
        if (config.eventsPath != null) {
            noTrace(s.createContext(config.eventsPath, this::events));
        }
        config.handlers.forEach((path, handler) -> noTrace(s.createContext(path, handler)));
        noTrace(s.createContext("/", ex -> text(ex, 404, "not found: the management server serves " + config.healthPath
                + " and " + config.metricsPath + "\n")));
        s.start();
        server = s;
        LOG.info("opskit management server listening on {}:{}", config.address.getHostAddress(), port());
        return this;
    }

    /** The port the server listens on (the chosen one when built with port 0). */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the server is not started: call start() first");
        }
        return server.getAddress().getPort();
    }

    /** Stops accepting, closes open connections and joins the worker threads. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server == null) {
            return;
        }
        server.stop(0);
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("opskit management server: worker threads still busy 5s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * TRACE is refused on every path, the application's handlers included: it would echo the
     * request's headers (cookies, bearer tokens, a maintenance bypass secret) back to the caller.
     */
    private static void noTrace(HttpContext context) {
        context.getFilters().add(new Filter() {
            @Override
            public void doFilter(HttpExchange ex, Chain chain) throws IOException {
                if ("TRACE".equalsIgnoreCase(ex.getRequestMethod())) {
                    text(ex, 405, "TRACE is not allowed\n");
                    return;
                }
                chain.doFilter(ex);
            }

            @Override
            public String description() {
                return "refuses TRACE";
            }
        });
    }

    private void health(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String base = config.healthPath;
            if (!path.equals(base) && !path.startsWith(base + "/")) {
                text(ex, 404, "not found\n");
                return;
            }
            String sub = path.length() <= base.length() + 1 ? "" : path.substring(base.length() + 1);
            write(ex, health.handle(sub, new ExchangeRequest(ex)));
        } catch (RuntimeException e) {
            fail(ex, e);
        }
    }

    private void events(HttpExchange ex) throws IOException {
        try {
            if (!ex.getRequestURI().getPath().equals(config.eventsPath)) {
                text(ex, 404, "not found\n");
                return;
            }
            write(ex, events.orElseThrow().handle(new ExchangeRequest(ex)));
        } catch (RuntimeException e) {
            fail(ex, e);
        }
    }

    private void metrics(HttpExchange ex) throws IOException {
        try {
            if (!ex.getRequestURI().getPath().equals(config.metricsPath)) {
                text(ex, 404, "not found\n");
                return;
            }
            String method = ex.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                text(ex, 405, "only GET and HEAD\n");
                return;
            }
            if (prometheus.isEmpty()) {
                text(ex, 404, "no PrometheusMeterRegistry: pass one with OpsHttpServer.builder(ops).prometheus(registry)\n");
                return;
            }
            String accept = ex.getRequestHeaders().getFirst("Accept");
            String contentType = io.opskit.core.endpoint.MetricsFormat.contentTypeFor(accept);
            ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
            prometheus.get().scrape(body, contentType);
            write(ex, EndpointResponse.of(200, contentType, Map.of("Cache-Control", "no-store"), body.toByteArray()));
        } catch (RuntimeException e) {
            fail(ex, e);
        }
    }

    private static void write(HttpExchange ex, EndpointResponse r) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", r.contentType());
        r.headers().forEach(h::set);
        try {
            if ("HEAD".equals(ex.getRequestMethod())) {
                h.set("Content-Length", String.valueOf(r.length()));
                ex.sendResponseHeaders(r.status(), -1);
            } else {
                ex.sendResponseHeaders(r.status(), r.length() == 0 ? -1 : r.length());
                try (OutputStream out = ex.getResponseBody()) {
                    r.writeTo(out);
                }
            }
        } finally {
            ex.close();
        }
    }

    private static void text(HttpExchange ex, int status, String message) throws IOException {
        write(ex, EndpointResponse.of(status, "text/plain; charset=utf-8", Map.of("Cache-Control", "no-store"),
                message.getBytes(StandardCharsets.UTF_8)));
    }

    private static void fail(HttpExchange ex, RuntimeException e) throws IOException {
        LOG.warn("opskit management server: {} {} failed: {}", ex.getRequestMethod(), Redactor.forLog(ex.getRequestURI().getPath()),
                Redactor.forLog(e.toString()));
        text(ex, 500, "internal error\n");
    }

    private static Optional<PrometheusMeterRegistry> find(MeterRegistry registry) {
        if (registry instanceof PrometheusMeterRegistry) {
            return Optional.of((PrometheusMeterRegistry) registry);
        }
        if (registry instanceof CompositeMeterRegistry) {
            for (MeterRegistry child : ((CompositeMeterRegistry) registry).getRegistries()) {
                Optional<PrometheusMeterRegistry> found = find(child);
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "OpsHttpServer{" + config.address.getHostAddress() + ":" + config.port + '}';
    }

    /** Options of an {@link OpsHttpServer}; every setter validates. */
    public static final class Builder {
        private final Ops ops;
        private InetAddress address;
        private int port = DEFAULT_PORT;
        private int threads = DEFAULT_THREADS;
        private int backlog = DEFAULT_BACKLOG;
        private int queue = DEFAULT_QUEUE;
        private ShowDetails showDetails = ShowDetails.NEVER;
        private PrometheusMeterRegistry prometheus;
        private String healthPath = "/health";
        private String metricsPath = "/metrics";
        private String eventsPath;
        private final Map<String, HttpHandler> handlers = new LinkedHashMap<>();

        private Builder(Ops ops) {
            this.ops = Objects.requireNonNull(ops, "ops must not be null: build one with Ops.builder()");
        }

        /** The port; 0 picks a free one (read it with {@link OpsHttpServer#port()}). Default {@value OpsHttpServer#DEFAULT_PORT}. */
        public Builder port(int value) {
            if (value < 0 || value > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, but was " + value + ": use e.g. 8081, or 0 for any free port");
            }
            this.port = value;
            return this;
        }

        /** The address to bind (default: every interface, as Kubernetes probes reach the pod's IP). */
        public Builder address(InetAddress value) {
            this.address = Objects.requireNonNull(value, "address must not be null: use InetAddress.getLoopbackAddress()");
            return this;
        }

        /** Worker threads, 1 to 64 (default {@value OpsHttpServer#DEFAULT_THREADS}). */
        public Builder threads(int value) {
            if (value < 1 || value > 64) {
                throw new IllegalArgumentException("threads must be between 1 and 64, but was " + value + ": use e.g. 4");
            }
            this.threads = value;
            return this;
        }

        /** Accept backlog, 1 to 65535 (default {@value OpsHttpServer#DEFAULT_BACKLOG}). */
        public Builder backlog(int value) {
            if (value < 1 || value > 65535) {
                throw new IllegalArgumentException("backlog must be between 1 and 65535, but was " + value + ": use e.g. 1024");
            }
            this.backlog = value;
            return this;
        }

        /** Requests queued for a worker before the accepting thread answers itself, 1 to 1,000,000 (default 10,000). */
        public Builder queue(int value) {
            if (value < 1 || value > 1_000_000) {
                throw new IllegalArgumentException("queue must be between 1 and 1000000, but was " + value + ": use e.g. 10000");
            }
            this.queue = value;
            return this;
        }

        /** Who sees details and outputs (default {@link ShowDetails#NEVER}: statuses only). */
        public Builder showDetails(ShowDetails value) {
            this.showDetails = Objects.requireNonNull(value, "showDetails must not be null: use ShowDetails.NEVER");
            return this;
        }

        /** The registry {@code /metrics} scrapes (default: {@code ops.meterRegistry()} if it is, or holds, one). */
        public Builder prometheus(PrometheusMeterRegistry value) {
            this.prometheus = Objects.requireNonNull(value, "prometheus must not be null");
            return this;
        }

        /** The base path of health (default {@code /health}). */
        public Builder healthPath(String value) {
            this.healthPath = path("healthPath", value);
            return this;
        }

        /** The path of metrics (default {@code /metrics}). */
        public Builder metricsPath(String value) {
            this.metricsPath = path("metricsPath", value);
            return this;
        }

        /** Also serve the event history as JSON at this path (default: not served), e.g. {@code /ops/events}. */
        public Builder eventsPath(String value) {
            this.eventsPath = path("eventsPath", value);
            return this;
        }

        /**
         * Serves an application handler at {@code path} (and below it) on the same port and worker
         * threads, e.g. an operator endpoint; it must not block for long.
         */
        public Builder handler(String path, HttpHandler handler) {
            String p = path("handler path", path);
            Objects.requireNonNull(handler, "handler of " + p + " must not be null");
            if (handlers.putIfAbsent(p, handler) != null) {
                throw new IllegalArgumentException("handler path " + p + " is given twice: give each path one handler");
            }
            return this;
        }

        /** Builds the server; {@link OpsHttpServer#start()} binds it. */
        public OpsHttpServer build() {
            if (healthPath.equals(metricsPath) || healthPath.equals(eventsPath) || metricsPath.equals(eventsPath)) {
                throw new IllegalArgumentException("healthPath, metricsPath and eventsPath must differ, but were "
                        + healthPath + ", " + metricsPath + ", " + eventsPath + ": use e.g. /health and /metrics");
            }
            for (String p : handlers.keySet()) {
                if (p.equals(healthPath) || p.equals(metricsPath) || p.equals(eventsPath)) {
                    throw new IllegalArgumentException("handler path " + p + " is taken by opskit's own endpoints: "
                            + "choose another path, e.g. /ops/custom");
                }
            }
            if (address == null) {
                try {
                    address = InetAddress.getByName("0.0.0.0");
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
            return new OpsHttpServer(this);
        }

        private static String path(String field, String value) {
            if (value == null || !value.matches("/[A-Za-z0-9._~\\-/]*[A-Za-z0-9._~\\-]")) {
                throw new IllegalArgumentException(field + " must be an absolute path without a trailing slash, but was '"
                        + value + "': use e.g. '/health'");
            }
            return value;
        }
    }
}
