package io.opskit.examples;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.breaker.BreakerHealth;
import io.opskit.core.breaker.Breakers;
import io.opskit.core.checks.CpuLoadCheck;
import io.opskit.core.checks.DeadlockCheck;
import io.opskit.core.checks.DiskSpaceCheck;
import io.opskit.core.checks.ErrorRatioCheck;
import io.opskit.core.checks.HeapMemoryCheck;
import io.opskit.core.checks.ThreadCountCheck;
import io.opskit.core.checks.TimerPercentileCheck;
import io.opskit.core.endpoint.MaintenanceEndpoint;
import io.opskit.core.endpoint.ShowDetails;
import io.opskit.core.maintenance.MaintenanceConfig;
import io.opskit.core.maintenance.MaintenanceMode;
import io.opskit.http.HttpEndpointCheck;
import io.opskit.http.OpsHttpServer;
import io.opskit.http.TlsCertificateCheck;
import io.opskit.http.TrustedCertificates;
import io.opskit.jdbc.DataSourceHealthCheck;
import io.opskit.jdbc.DatabaseChecks;
import io.opskit.jdbc.HikariPoolWatchdog;
import io.opskit.jdbc.IdleConnectionReaper;
import io.opskit.jdbc.JdbcOps;
import io.opskit.jdbc.LeakTracker;
import io.opskit.jdbc.PostgresConnectionsCheck;
import io.opskit.jdbc.PostgresTransactionsCheck;
import io.opskit.jdbc.QueryMonitor;
import io.opskit.jdbc.PoolSessions;
import io.opskit.jdbc.ReaperConfig;
import io.opskit.redis.RedisMaintenanceStore;
import io.opskit.servlet.InFlightRequests;
import io.opskit.servlet.OpsServletConfig;
import io.opskit.servlet.OpsServlets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.servlet.DispatcherType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The opskit example: a small HTTP API (items in PostgreSQL cached in Redis, ping, slow, fail)
 * that carries the whole runbook inside it — health and metrics endpoints, every built-in
 * check, pool watchdog, leak tracking, idle-connection reaper, slow-query log, Redis checks
 * and watchdog, fleet-wide maintenance mode, correlation IDs, breaker-guarded dependency
 * check, SLO checks and graceful drain. With nothing configured it starts an embedded
 * PostgreSQL and an embedded Redis.
 */
public final class ExampleApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExampleApp.class);
    /** The PostgreSQL application_name of the example's own pool. */
    static final String APPLICATION_NAME = "opskit-example";
    /** The role the application logs in as on the embedded PostgreSQL: not a superuser. */
    static final String EMBEDDED_ROLE = "opskit_example";
    /** Worker threads of the management port: probes never wait behind the API's threads. */
    static final int MANAGEMENT_THREADS = 4;

    /** What was started, closed in reverse order: the pool and Redis client before the embedded servers. */
    private final Deque<Resource> resources = new ArrayDeque<>();
    private final InFlightRequests inFlight = InFlightRequests.create();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean quiet;
    private final ExampleConfig config;
    private final ExampleAccess access;
    private Ops ops;
    private Server server;
    private ServerConnector connector;
    private QueuedThreadPool httpThreads;
    private OpsHttpServer management;
    private MaintenanceMode maintenance;
    private QueryMonitor queryMonitor;
    private LeakTracker leakTracker;
    private IdleConnectionReaper reaper;
    private String jdbcUrl;
    private int port;

    private record Resource(String name, AutoCloseable closeable) {
    }

    private ExampleApp(ExampleConfig config, ExampleAccess access) {
        this.config = config;
        this.access = access;
    }

    /**
     * Starts the example; a bad environment or a port that cannot be bound prints one line and exits with
     * status 2. On SIGTERM: readiness FAIL at once, serve for {@code OPS_DRAIN}, stop accepting, wait for the
     * requests in flight (at most {@code OPS_SHUTDOWN_TIMEOUT}), then close everything in reverse order of start.
     */
    public static void main(String[] args) throws Exception {
        ExampleApp app;
        try {
            app = start(ExampleConfig.from(System.getenv()), ExampleAccess.from(System.getenv()));
        } catch (ExampleConfig.BadConfig e) {
            System.err.println("opskit-example: " + e.getMessage());
            System.exit(2);
            return;
        }
        // the only shutdown hook: the embedded servers have none of their own, so nothing stops before the drain
        app.ops.installShutdownHook(app.config.drain(), app::finishAndClose);
        if (app.management != null) {
            LOG.info("opskit example listening on http://localhost:{} (API, /health, /metrics); management on "
                    + "http://localhost:{} (/health, /metrics, /ops/*)", app.port, app.managementPort());
        } else {
            LOG.info("opskit example listening on http://localhost:{} (API, /health, /metrics, /ops/*; no management port)",
                    app.port);
        }
    }

    /** Starts everything without operator tokens ({@code /ops/*} answers 401); the caller closes it. */
    public static ExampleApp start(ExampleConfig config) throws Exception {
        return start(config, ExampleAccess.from(Map.of()));
    }

    /** Starts everything, with the operations surface open to {@code access}'s tokens; the caller closes it. */
    public static ExampleApp start(ExampleConfig config, ExampleAccess access) throws Exception {
        ExampleApp app = new ExampleApp(config, access);
        try {
            app.startAll();
            return app;
        } catch (ExampleConfig.BadConfig e) {
            app.quiet = true;   // the one line the caller prints is the whole story
            app.close();
            throw e;
        } catch (Exception | Error e) {
            app.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ops = Ops.builder().serviceId("opskit-example").version("1").releaseId("0.1.0")
                .description("the opskit example service").meterRegistry(registry).build();
        push("opskit engine", ops);
        ShowDetails details = config.showDetails() ? ShowDetails.ALWAYS : ShowDetails.NEVER;

        // --- the ports first: a busy one is one line and exit 2, before anything else starts
        httpThreads = new QueuedThreadPool(config.httpThreads(), Math.min(8, config.httpThreads()));
        httpThreads.setName("http");
        server = new Server(httpThreads);
        connector = new ServerConnector(server);
        connector.setPort(config.port());
        server.addConnector(connector);
        try {
            connector.open();
        } catch (java.io.IOException e) {
            throw cannotBind("PORT", config.port(), e);
        }
        if (config.managementPort().isPresent()) {
            // the whole operations surface (health, /livez, /readyz, /metrics, /ops/*) on its own port and threads:
            // probes answer while every API thread is busy; /ops/* answers the roles of OPS_VIEWER_TOKEN/_OPERATOR_TOKEN
            OpsHttpServer.Builder mb = OpsHttpServer.builder(ops).port(config.managementPort().get())
                    .threads(MANAGEMENT_THREADS).showDetails(details).surface(access.surfaceConfig());
            try {
                management = mb.build().start();
            } catch (java.io.UncheckedIOException e) {
                throw cannotBind("OPS_MANAGEMENT_PORT", config.managementPort().get(), e.getCause());
            }
            push("management server", management);
        }

        // --- embedded servers (no shutdown hooks of their own: they stop last, after everything that uses them)
        String user = config.dbUser();
        String password = config.dbPassword();
        if (config.dbUrl().isPresent()) {
            jdbcUrl = config.dbUrl().get();
        } else {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().setRegisterShutdownHook(false).start();
            push("embedded PostgreSQL", pg);
            jdbcUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";   // no user in the URL: it would win
            // the application logs in as a role of its own, not as a superuser: the reaper's default scope is the pool's role
            try (java.sql.Connection c = pg.getPostgresDatabase().getConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("CREATE ROLE " + EMBEDDED_ROLE + " LOGIN IN ROLE pg_read_all_stats");
                s.execute("GRANT CREATE ON SCHEMA public TO " + EMBEDDED_ROLE);
            }
            user = EMBEDDED_ROLE;
            password = "";
            LOG.info("started embedded PostgreSQL on port {}", pg.getPort());
        }
        Optional<RedisURI> redisUri = Optional.empty();
        if (config.redisEnabled()) {
            if (config.redisUrl().isPresent()) {
                redisUri = Optional.of(RedisURI.create(config.redisUrl().get()));
            } else {
                EmbeddedRedis redis = EmbeddedRedis.start();
                push("embedded Redis", redis);
                redisUri = Optional.of(RedisURI.create("redis://127.0.0.1:" + redis.port()));
                LOG.info("started embedded Redis on port {}", redis.port());
            }
        }

        // --- database: the pool starts even while PostgreSQL is down or refuses the password (not ready until it answers)
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbcUrl);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setPoolName("example");
        hc.setMaximumPoolSize(10);
        hc.setConnectionTimeout(2000);
        hc.setValidationTimeout(1000);
        hc.setInitializationFailTimeout(-1);
        hc.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        // bounded queries: the server cancels a statement after OPS_DB_QUERY_TIMEOUT; the driver gives up reading
        // 5 s later, so a frozen server (or network) holds a request thread for a bounded time, not for ever
        hc.addDataSourceProperty("options", "-c statement_timeout=" + config.dbQueryTimeout().toMillis());
        hc.addDataSourceProperty("socketTimeout", Long.toString(config.dbQueryTimeout().plusSeconds(5).toSeconds()));
        hc.addDataSourceProperty("connectTimeout", "2");
        // the reaper knows the pool's sessions by backend pid, not by a name anyone could take; last, once the
        // URL, credentials and properties are set: the tracked driver data source is made from them
        PoolSessions.track(hc);
        HikariDataSource pool = new HikariDataSource(hc);
        push("connection pool", pool);
        leakTracker = LeakTracker.builder().threshold(Duration.ofSeconds(30)).build();
        queryMonitor = QueryMonitor.builder().slowThreshold(Duration.ofMillis(100)).commentCorrelationId(true).build();
        DataSource dataSource = JdbcOps.instrument(pool, leakTracker, queryMonitor);
        HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(pool).leakTracker(leakTracker).events(ops.events())
                .threadDumpOnExhaustion(true).scheduler(ops.scheduler()).build().start();
        push("pool watchdog", watchdog);
        reaper = IdleConnectionReaper.builder(pool).events(ops.events()).scheduler(ops.scheduler())
                .config(ReaperConfig.builder().idleTimeout(config.reaperIdle()).interval(config.reaperInterval())
                        .dryRun(config.reaperDryRun()).build())
                .build();
        reaper.start();
        push("idle-connection reaper", reaper);
        // each attaches its checks, its meters (opskit.db.*, opskit.reaper.*) and its /ops endpoints
        // (/ops/slow-queries, /ops/leaks, /ops/pool); both ports serve whatever Ops holds
        ops.attach(DatabaseChecks.postgres(
                        DataSourceHealthCheck.builder(pool).timeout(Duration.ofSeconds(2)).interval(config.checkInterval()).build(),
                        PostgresConnectionsCheck.builder(pool).interval(Duration.ofSeconds(15)).build(),
                        PostgresTransactionsCheck.builder(pool).interval(Duration.ofSeconds(15)).build()),
                leakTracker, queryMonitor, watchdog, reaper);

        // --- cache: Redis, connected without ever holding up start-up (see RedisCache)
        Supplier<Optional<StatefulRedisConnection<String, String>>> cache = Optional::empty;
        Optional<RedisMaintenanceStore> store = Optional.empty();
        if (redisUri.isPresent()) {
            RedisURI uri = redisUri.get();
            uri.setTimeout(Duration.ofSeconds(1));
            RedisClient client = RedisClient.create(uri);
            // while Redis is down, cache reads and writes fail at once instead of waiting for the timeout:
            // the items API then reads PostgreSQL without paying a second per request for its cache
            client.setOptions(ClientOptions.builder()
                    .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).build())
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            push("Redis client", client::shutdown);
            RedisCache redisCache = new RedisCache(ops, client, uri.getHost() + ":" + uri.getPort()).start();
            push("Redis connection", redisCache);
            cache = redisCache::connection;
            RedisMaintenanceStore s = RedisMaintenanceStore.builder(client, uri).build();
            push("Redis maintenance store", s);
            ops.attach(s);     // redis:maintenanceStore and /ops/maintenance-store
            store = Optional.of(s);
        }
        ItemsServlet items = new ItemsServlet(dataSource, cache);
        items.ensureSchema();

        // --- maintenance mode: MAINTENANCE_MODE, programmatic, and fleet-wide through Redis
        MaintenanceMode.Builder mb = MaintenanceMode.builder().events(ops.events()).scheduler(ops.scheduler());
        store.ifPresent(mb::store);
        maintenance = mb.build();
        maintenance.start();
        if (management != null) {
            // the management port was bound before maintenance mode existed: it serves /ops/maintenance from Ops
            ops.endpoints().add(MaintenanceEndpoint.operatorEndpoint(maintenance));
        }
        push("maintenance mode", maintenance);
        if (config.maintenance() && !maintenance.isEnabled()) {
            maintenance.enable("MAINTENANCE_MODE=true");
        }

        // --- system checks and SLOs
        ops.register(DiskSpaceCheck.of(Path.of(System.getProperty("java.io.tmpdir"))).registration());
        ops.register(HeapMemoryCheck.create().registration());
        ops.register(CpuLoadCheck.create().registration());
        ops.register(DeadlockCheck.create().registration());
        ops.register(ThreadCountCheck.create().registration());
        ops.register(TimerPercentileCheck.builder(registry, "http.server.requests").tags("uri", "/api/items")
                .warnThreshold(Duration.ofMillis(200)).failThreshold(Duration.ofSeconds(1)).build()
                .registration("requests:p95"));
        ops.register(ErrorRatioCheck.forHttpServerRequests(registry).registration());

        // --- an HTTP dependency, guarded by a breaker, and its certificate
        Breakers breakers = Breakers.ofDefaults();      // its meters: bound once, by attaching BreakerHealth below
        // the example's dependency is optional: an open breaker makes readiness WARN, not FAIL
        ops.attach(BreakerHealth.builder(breakers.registry()).critical(name -> false).build());
        if (config.checkUrl().isPresent()) {
            TrustedCertificates trust = TrustedCertificates.jdkDefaults();
            if (config.checkCa().isPresent()) {
                trust = trust.plusPem(config.checkCa().get());
            }
            HttpEndpointCheck endpoint = HttpEndpointCheck.builder(config.checkUrl().get())
                    .connectTimeout(config.checkTimeout()).requestTimeout(config.checkTimeout()).trust(trust).build();
            String dependency = "dependency";
            ops.register(CheckRegistration.builder(dependency + ":responseTime", () -> {
                try {
                    return breakers.call(dependency, () -> {
                        Result r = endpoint.check();
                        if (r.status() == io.opskit.core.Status.FAIL) {
                            throw new DependencyDown(r);
                        }
                        return r;
                    });
                } catch (DependencyDown e) {
                    return e.result;
                }
            }).componentType("http").critical(false).timeout(config.checkTimeout().plusMillis(500))
                    .interval(config.checkInterval()).build());
            if ("https".equals(config.checkUrl().get().getScheme())) {
                int p = config.checkUrl().get().getPort() < 0 ? 443 : config.checkUrl().get().getPort();
                // dependency:certificate and opskit.tls.certificate.expiry (#16)
                ops.attach(TlsCertificateCheck.builder(config.checkUrl().get().getHost(), p).trust(trust)
                        .timeout(config.checkTimeout()).name("dependency:certificate").interval(Duration.ofMinutes(10)).build());
            }
        }

        // --- HTTP: Jetty with opskit's filters and endpoints in front of the API
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        MaintenanceConfig.Builder mc = MaintenanceConfig.builder().passThrough("/ops/");
        config.maintenanceSecret().ifPresent(mc::bypassSecret);
        // with a management port, /ops/* is served there only; health, probes and metrics answer on both ports
        OpsServletConfig servletConfig = OpsServletConfig.builder().surface(access.surfaceConfig(management == null)).showDetails(details)
                .maintenanceMode(maintenance).maintenanceConfig(mc.build()).prometheusRegistry(registry).build();
        // the guard (TRACE, oversized bodies) and the in-flight counter first, then opskit's filters (correlation ID,
        // maintenance, HTTP metrics), then the request log inside them
        context.addServletContainerInitializer((classes, ctx) -> {
            filter(ctx, "requestGuard", new RequestGuardFilter());
            filter(ctx, "inFlight", inFlight);
            OpsServlets.register(ctx, ops, servletConfig);
            ctx.addFilter("requestLog", new RequestLogFilter())
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        });
        context.addServlet(new ServletHolder(items), "/api/items");
        context.addServlet(new ServletHolder(new SimpleApiServlets.Ping()), "/api/ping");
        context.addServlet(new ServletHolder(new SimpleApiServlets.Slow(dataSource)), "/api/slow");
        context.addServlet(new ServletHolder(new SimpleApiServlets.Fail()), "/api/fail");
        // --- alerting (#16): the meters monitoring/ reads; OPS_WEBHOOK_URL/_SECRET and OPS_ALERTMANAGER_URL
        Alerting.wire(ops, registry, maintenance, config.alerting()).forEach(r -> push("alerting", r));

        server.setHandler(context);
        server.start();
        port = connector.getLocalPort();
        reportOnceEveryCheckHasReported();
        ops.start();
    }

    /** One INFO line once every check has its first result (a first result that passes is logged at DEBUG only). */
    private void reportOnceEveryCheckHasReported() {
        Set<String> expected = ops.registrations().stream().map(CheckRegistration::name).collect(Collectors.toSet());
        Map<String, io.opskit.core.Status> first = new ConcurrentHashMap<>();
        AtomicBoolean done = new AtomicBoolean();
        ops.events().onStatusChange(e -> {
            if (e.from().isEmpty()) {
                first.putIfAbsent(e.check(), e.to());
            }
            if (first.keySet().containsAll(expected) && done.compareAndSet(false, true)) {
                List<String> notPassing = first.entrySet().stream().filter(c -> expected.contains(c.getKey())
                        && c.getValue() != io.opskit.core.Status.PASS).map(c -> c.getKey() + " " + c.getValue().wireName())
                        .sorted().toList();
                LOG.info("all {} checks have reported: {}", expected.size(),
                        notPassing.isEmpty() ? "every one passes" : "not passing: " + String.join(", ", notPassing));
            }
        });
    }

    private static void filter(jakarta.servlet.ServletContext ctx, String name, jakarta.servlet.Filter filter) {
        jakarta.servlet.FilterRegistration.Dynamic r = ctx.addFilter(name, filter);
        r.setAsyncSupported(true);
        r.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }

    private void push(String name, AutoCloseable closeable) {
        resources.push(new Resource(name, closeable));
    }

    private static ExampleConfig.BadConfig cannotBind(String variable, int port, Throwable e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new ExampleConfig.BadConfig(variable + " " + port + " cannot be bound (" + cause.getMessage()
                + "): stop what holds it or choose another port (0 picks a free one)");
    }

    /** The port the API listens on. */
    public int port() {
        return port;
    }

    /** The port health, metrics and /ops/* answer on: the management port, or {@link #port()} without one. */
    public int managementPort() {
        return management != null ? management.port() : port;
    }

    /** The threads serving the API on {@link #port()}, for tests that hold every one of them. */
    QueuedThreadPool httpThreads() {
        return httpThreads;
    }

    /** Requests in flight on {@link #port()} now. */
    int requestsInFlight() {
        return inFlight.count();
    }

    /** The opskit instance of the example. */
    public Ops ops() {
        return ops;
    }

    /** The maintenance mode of the example. */
    public MaintenanceMode maintenance() {
        return maintenance;
    }

    /** The JDBC URL of the database (credentials redacted in any log). */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The idle-connection reaper. */
    public IdleConnectionReaper reaper() {
        return reaper;
    }

    /** Readiness right now, for tests. */
    public io.opskit.core.Status readiness() {
        return ops.health(Probe.READINESS).status();
    }

    /**
     * Graceful shutdown, as on SIGTERM: readiness FAIL at once, keep serving for {@code OPS_DRAIN} so load
     * balancers notice, then {@link #finishAndClose()}. Blocks until done.
     */
    public void shutdown() {
        ops.drain(config.drain());
        finishAndClose();
    }

    /**
     * After the drain: stop accepting, wait for the requests in flight (at most {@code OPS_SHUTDOWN_TIMEOUT}),
     * stop Jetty, then close every resource in reverse order of start, the embedded servers last but for the
     * management port, which answers probes (readiness 503) to the end.
     */
    void finishAndClose() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (server != null && server.isStarted()) {
            connector.shutdown();   // closes the listening socket: new connections are refused, open ones finish
            int running = inFlight.count();
            LOG.info("shutdown: stopped accepting on port {}; waiting up to {} ms for {} request(s) in flight", port,
                    config.shutdownTimeout().toMillis(), running);
            try {
                if (!inFlight.awaitIdle(config.shutdownTimeout())) {
                    LOG.warn("shutdown: {} request(s) still running after {} ms; stopping anyway", inFlight.count(),
                            config.shutdownTimeout().toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (server != null) {
            try {
                server.stop();
                if (!quiet) {
                    LOG.info("shutdown: stopped the HTTP server");
                }
            } catch (Exception e) {
                LOG.warn("shutdown: stopping Jetty failed: {}", Result.describe(e));
            }
            connector.close();   // opened before start: closed here also when start-up failed
        }
        while (!resources.isEmpty()) {
            Resource r = resources.pop();
            if (quiet && r.closeable() == ops) {
                continue;   // never started when a port cannot be bound: nothing runs, and closing it would log a line
            }
            try {
                r.closeable().close();
                if (!quiet) {
                    LOG.info("shutdown: closed {}", r.name());
                }
            } catch (Exception e) {
                LOG.warn("shutdown: closing {} failed: {}", r.name(), Result.describe(e));
            }
        }
    }

    /** Stops at once (no drain): the server, then everything else in reverse order of start. */
    @Override
    public void close() {
        finishAndClose();
    }

    /** Carries a failed result through the breaker so it counts as a failure there. */
    private static final class DependencyDown extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Result result;

        DependencyDown(Result result) {
            super(result.output().orElse("failed"), null, false, false);
            this.result = result;
        }
    }
}
