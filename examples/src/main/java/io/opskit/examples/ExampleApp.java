package io.opskit.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
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
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.EventsEndpoint;
import io.opskit.core.endpoint.MaintenanceEndpoint;
import io.opskit.core.endpoint.ShowDetails;
import io.opskit.core.maintenance.MaintenanceConfig;
import io.opskit.core.maintenance.MaintenanceMode;
import io.opskit.http.HttpEndpointCheck;
import io.opskit.http.TlsCertificateCheck;
import io.opskit.http.TrustedCertificates;
import io.opskit.jdbc.DataSourceHealthCheck;
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
import io.opskit.redis.RedisOps;
import io.opskit.servlet.OpsServletConfig;
import io.opskit.servlet.OpsServlets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.servlet.DispatcherType;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

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
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The PostgreSQL application_name of the example's own pool. */
    static final String APPLICATION_NAME = "opskit-example";
    /** The role the application logs in as on the embedded PostgreSQL: not a superuser. */
    static final String EMBEDDED_ROLE = "opskit_example";

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final ExampleConfig config;
    private Ops ops;
    private Server server;
    private MaintenanceMode maintenance;
    private QueryMonitor queryMonitor;
    private LeakTracker leakTracker;
    private IdleConnectionReaper reaper;
    private String jdbcUrl;
    private int port;

    private ExampleApp(ExampleConfig config) {
        this.config = config;
    }

    /** Starts the example; on a bad environment prints one line and exits with status 2. */
    public static void main(String[] args) throws Exception {
        ExampleConfig config;
        try {
            config = ExampleConfig.from(System.getenv());
        } catch (ExampleConfig.BadConfig e) {
            System.err.println("opskit-example: " + e.getMessage());
            System.exit(2);
            return;
        }
        ExampleApp app = start(config);
        app.ops.installShutdownHook(config.drain(), app::stopServerAndResources);
        LOG.info("opskit example listening on http://localhost:{} (health: /health, metrics: /metrics)", app.port);
    }

    /** Starts everything; the caller closes it. */
    public static ExampleApp start(ExampleConfig config) throws Exception {
        ExampleApp app = new ExampleApp(config);
        try {
            app.startAll();
            return app;
        } catch (Exception | Error e) {
            app.close();
            throw e;
        }
    }

    private void startAll() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ops = Ops.builder().serviceId("opskit-example").version("1").releaseId("0.1.0")
                .description("the opskit example service").meterRegistry(registry).build();
        resources.push(ops);

        // --- database: embedded PostgreSQL unless OPS_DB_URL is set
        String user = config.dbUser();
        String password = config.dbPassword();
        if (config.dbUrl().isPresent()) {
            jdbcUrl = config.dbUrl().get();
        } else {
            EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
            resources.push(pg);
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
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbcUrl);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setPoolName("example");
        hc.setMaximumPoolSize(10);
        hc.setConnectionTimeout(2000);
        hc.setInitializationFailTimeout(-1);
        hc.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        // the reaper knows the pool's sessions by backend pid, not by a name anyone could take
        PoolSessions.track(hc);
        HikariDataSource pool = new HikariDataSource(hc);
        resources.push(pool);
        leakTracker = LeakTracker.builder().threshold(Duration.ofSeconds(30)).build();
        leakTracker.bindTo(registry);
        queryMonitor = QueryMonitor.builder().slowThreshold(Duration.ofMillis(100)).commentCorrelationId(true).build();
        queryMonitor.bindTo(registry);
        DataSource dataSource = JdbcOps.instrument(pool, leakTracker, queryMonitor);
        ItemsServlet.createSchema(dataSource);

        ops.register(DataSourceHealthCheck.builder(pool).timeout(Duration.ofSeconds(2)).build().registrationBuilder()
                .interval(config.checkInterval()).build());
        PostgresConnectionsCheck serverConnections = PostgresConnectionsCheck.builder(pool).build();
        serverConnections.bindTo(registry);   // opskit.db.server.connections.utilization (#16)
        ops.register(serverConnections.registrationBuilder().interval(Duration.ofSeconds(15)).build());
        ops.register(PostgresTransactionsCheck.builder(pool).build().registrationBuilder().interval(Duration.ofSeconds(15)).build());
        ops.register(queryMonitor.registration());
        HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(pool).leakTracker(leakTracker).events(ops.events())
                .threadDumpOnExhaustion(true).scheduler(ops.scheduler()).build().start();
        resources.push(watchdog);
        watchdog.bindTo(registry);   // opskit.db.pool.utilization (#16)
        ops.register(watchdog.registration());
        reaper = IdleConnectionReaper.builder(pool).events(ops.events()).scheduler(ops.scheduler())
                .config(ReaperConfig.builder().idleTimeout(config.reaperIdle()).interval(config.reaperInterval())
                        .dryRun(config.reaperDryRun()).build())
                .build();
        reaper.bindTo(registry);
        reaper.start();
        resources.push(reaper);
        ops.register(reaper.registration());

        // --- cache: embedded Redis unless OPS_REDIS_URL is set; none without
        Optional<StatefulRedisConnection<String, String>> cache = Optional.empty();
        Optional<RedisMaintenanceStore> store = Optional.empty();
        if (config.redisEnabled()) {
            RedisURI uri;
            if (config.redisUrl().isPresent()) {
                uri = RedisURI.create(config.redisUrl().get());
            } else {
                int redisPort = freePort();
                RedisServer redis = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
                        .setting("save \"\"").setting("appendonly no").build();
                redis.start();
                resources.push(redis::stop);
                uri = RedisURI.create("redis://127.0.0.1:" + redisPort);
                LOG.info("started embedded Redis on port {}", redisPort);
            }
            uri.setTimeout(Duration.ofSeconds(1));
            RedisClient client = RedisClient.create(uri);
            // while Redis is down, cache reads and writes fail at once instead of waiting for the timeout:
            // the items API then reads PostgreSQL without paying a second per request for its cache
            client.setOptions(ClientOptions.builder()
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
            resources.push(client::shutdown);
            StatefulRedisConnection<String, String> connection = client.connect();
            resources.push(connection);
            cache = Optional.of(connection);
            // Redis is a cache here: the items API serves from PostgreSQL without it, so no Redis check is
            // critical and a Redis outage makes readiness WARN (200), never FAIL (503)
            resources.push(RedisOps.registerCache(ops, connection, client));
            RedisMaintenanceStore s = RedisMaintenanceStore.builder(client, uri).build();
            resources.push(s);
            ops.register(s.registration());
            store = Optional.of(s);
        }

        // --- maintenance mode: MAINTENANCE_MODE, programmatic, and fleet-wide through Redis
        MaintenanceMode.Builder mb = MaintenanceMode.builder().events(ops.events()).scheduler(ops.scheduler());
        store.ifPresent(mb::store);
        maintenance = mb.build();
        maintenance.start();
        resources.push(maintenance);
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
        Breakers breakers = Breakers.ofDefaults();
        breakers.bindTo(registry);
        // the example's dependency is optional: an open breaker makes readiness WARN, not FAIL
        resources.push(BreakerHealth.builder(breakers.registry()).critical(name -> false).events(ops.events()).build().bindTo(ops));
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
                TlsCertificateCheck certificate = TlsCertificateCheck.builder(config.checkUrl().get().getHost(), p).trust(trust)
                        .timeout(config.checkTimeout()).build();
                certificate.bindTo(registry);   // opskit.tls.certificate.expiry (#16)
                ops.register(CheckRegistration.builder("dependency:certificate", certificate)
                        .componentType("http").critical(false).interval(Duration.ofMinutes(10))
                        .timeout(config.checkTimeout().plusMillis(500)).build());
            }
        }

        // --- HTTP: Jetty with opskit's filters and endpoints in front of the API
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(config.port());
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        context.setContextPath("/");
        MaintenanceConfig.Builder mc = MaintenanceConfig.builder().passThrough("/ops/");
        config.maintenanceSecret().ifPresent(mc::bypassSecret);
        OpsServletConfig servletConfig = OpsServletConfig.builder()
                .showDetails(config.showDetails() ? ShowDetails.ALWAYS : ShowDetails.NEVER)
                .maintenanceMode(maintenance).maintenanceConfig(mc.build()).prometheusRegistry(registry).build();
        // opskit's filters first (correlation ID, maintenance, HTTP metrics), then the request log inside them
        context.addServletContainerInitializer((classes, ctx) -> {
            OpsServlets.register(ctx, ops, servletConfig);
            ctx.addFilter("requestLog", new RequestLogFilter())
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        });
        EventsEndpoint events = EventsEndpoint.create(ops.events());
        context.addServlet(new ServletHolder(new EndpointServlet((req, body) -> events.handle(req))), "/ops/events");
        MaintenanceEndpoint maintenanceEndpoint = MaintenanceEndpoint.create(maintenance, config.maintenanceSecret());
        context.addServlet(new ServletHolder(new EndpointServlet(maintenanceEndpoint::handle)), "/ops/maintenance");
        context.addServlet(new ServletHolder(new EndpointServlet((req, body) -> json(Map.of("slowQueries",
                queryMonitor.slowQueries().stream().map(io.opskit.jdbc.SlowQuery::asMap).toList())))), "/ops/slow-queries");
        context.addServlet(new ServletHolder(new EndpointServlet((req, body) -> json(Map.of("leakSuspects",
                leakTracker.leakSuspects().stream().map(l -> l.asMap(20)).toList(),
                "openConnections", leakTracker.openCount())))), "/ops/leaks");
        context.addServlet(new ServletHolder(new ItemsServlet(dataSource, cache)), "/api/items");
        context.addServlet(new ServletHolder(new SimpleApiServlets.Ping()), "/api/ping");
        context.addServlet(new ServletHolder(new SimpleApiServlets.Slow(dataSource)), "/api/slow");
        context.addServlet(new ServletHolder(new SimpleApiServlets.Fail()), "/api/fail");
        // --- alerting (#16): the meters monitoring/ reads; OPS_WEBHOOK_URL/_SECRET and OPS_ALERTMANAGER_URL
        Alerting.wire(ops, registry, maintenance, System.getenv()).forEach(resources::push);

        server.setHandler(context);
        server.setStopTimeout(5000);
        server.start();
        port = connector.getLocalPort();
        ops.start();
    }

    private static EndpointResponse json(Object value) {
        try {
            return EndpointResponse.of(200, "application/json", Map.of("Cache-Control", "no-store"), JSON.writeValueAsBytes(value));
        } catch (java.io.IOException e) {
            return EndpointResponse.of(500, "application/json", Map.of(), "{\"error\":\"render\"}".getBytes(StandardCharsets.UTF_8));
        }
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The port the API listens on. */
    public int port() {
        return port;
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

    private void stopServerAndResources() {
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                LOG.warn("stopping Jetty failed: {}", Result.describe(e));
            }
        }
        while (!resources.isEmpty()) {
            AutoCloseable r = resources.pop();
            try {
                r.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", r.getClass().getSimpleName(), Result.describe(e));
            }
        }
    }

    /** Stops the server, the checks and the embedded servers. */
    @Override
    public void close() {
        stopServerAndResources();
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

    /** Unused; keeps the list type referenced for readers of the wiring above. */
    static List<String> endpoints() {
        return List.of("/health", "/health/live", "/health/ready", "/health/started", "/metrics", "/ops/events",
                "/ops/maintenance", "/ops/slow-queries", "/ops/leaks", "/api/items", "/api/ping", "/api/slow", "/api/fail");
    }
}
