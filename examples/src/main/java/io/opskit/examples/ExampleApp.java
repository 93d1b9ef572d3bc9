package io.opskit.examples;

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
import io.opskit.core.endpoint.ShowDetails;
import io.opskit.core.maintenance.MaintenanceConfig;
import io.opskit.core.maintenance.MaintenanceMode;
import io.opskit.http.HttpEndpointCheck;
import io.opskit.http.TlsCertificateCheck;
import io.opskit.http.TrustedCertificates;
import io.opskit.jdbc.DataSourceHealthCheck;
import io.opskit.jdbc.HikariPoolWatchdog;
import io.opskit.jdbc.IdleConnectionReaper;
import io.opskit.jdbc.JdbcEndpoints;
import io.opskit.jdbc.JdbcOps;
import io.opskit.jdbc.LeakTracker;
import io.opskit.jdbc.PostgresConnectionsCheck;
import io.opskit.jdbc.PostgresTransactionsCheck;
import io.opskit.jdbc.QueryMonitor;
import io.opskit.jdbc.ReaperConfig;
import io.opskit.redis.RedisMaintenanceStore;
import io.opskit.redis.RedisOps;
import io.opskit.servlet.OpsServletConfig;
import io.opskit.servlet.OpsServlets;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.servlet.DispatcherType;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
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
    /** The PostgreSQL application_name of the example's own pool. */
    static final String APPLICATION_NAME = "opskit-example";

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final ExampleConfig config;
    private final ExampleAccess access;
    private Ops ops;
    private Server server;
    private MaintenanceMode maintenance;
    private QueryMonitor queryMonitor;
    private LeakTracker leakTracker;
    private IdleConnectionReaper reaper;
    private String jdbcUrl;
    private int port;

    private ExampleApp(ExampleConfig config, ExampleAccess access) {
        this.config = config;
        this.access = access;
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
        ExampleAccess access;
        try {
            access = ExampleAccess.from(System.getenv());
        } catch (ExampleConfig.BadConfig e) {
            System.err.println("opskit-example: " + e.getMessage());
            System.exit(2);
            return;
        }
        ExampleApp app = start(config, access);
        app.ops.installShutdownHook(config.drain(), app::stopServerAndResources);
        LOG.info("opskit example listening on http://localhost:{} (health: /health, metrics: /metrics)", app.port);
    }

    /** Starts everything without operator tokens ({@code /ops/*} answers 401); the caller closes it. */
    public static ExampleApp start(ExampleConfig config) throws Exception {
        return start(config, ExampleAccess.from(java.util.Map.of()));
    }

    /** Starts everything, with the operations surface open to {@code access}'s tokens; the caller closes it. */
    public static ExampleApp start(ExampleConfig config, ExampleAccess access) throws Exception {
        ExampleApp app = new ExampleApp(config, access);
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
            jdbcUrl = pg.getJdbcUrl("postgres", "postgres");
            user = "postgres";
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
        // the reaper leaves the application's own pool alone: it is told to skip this application name
        hc.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
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
        ops.register(PostgresConnectionsCheck.builder(pool).build().registrationBuilder().interval(Duration.ofSeconds(15)).build());
        ops.register(PostgresTransactionsCheck.builder(pool).build().registrationBuilder().interval(Duration.ofSeconds(15)).build());
        ops.register(queryMonitor.registration());
        HikariPoolWatchdog watchdog = HikariPoolWatchdog.builder(pool).leakTracker(leakTracker).events(ops.events())
                .threadDumpOnExhaustion(true).build().start();
        resources.push(watchdog);
        ops.register(watchdog.registration());
        reaper = IdleConnectionReaper.builder(pool).events(ops.events())
                .config(ReaperConfig.builder().idleTimeout(config.reaperIdle()).interval(config.reaperInterval())
                        .excludeApplications(APPLICATION_NAME)
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
            RedisOps.register(ops, s);     // redis:maintenanceStore and /ops/maintenance-store
            store = Optional.of(s);
        }

        // --- maintenance mode: MAINTENANCE_MODE, programmatic, and fleet-wide through Redis
        MaintenanceMode.Builder mb = MaintenanceMode.builder().events(ops.events());
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
                ops.register(CheckRegistration.builder("dependency:certificate",
                        TlsCertificateCheck.builder(config.checkUrl().get().getHost(), p).trust(trust)
                                .timeout(config.checkTimeout()).build())
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
        // --- the operations surface: ops-jdbc's endpoints, then the library serves every endpoint (health, /livez,
        // /readyz, /metrics, /ops/*) to the roles of OPS_VIEWER_TOKEN and OPS_OPERATOR_TOKEN
        ops.endpoints().add(JdbcEndpoints.slowQueries(queryMonitor));
        ops.endpoints().add(JdbcEndpoints.leaks(leakTracker));
        ops.endpoints().add(JdbcEndpoints.pool(watchdog));
        OpsServletConfig servletConfig = OpsServletConfig.builder()
                .surface(access.surfaceConfig())
                .showDetails(config.showDetails() ? ShowDetails.ALWAYS : ShowDetails.NEVER)
                .maintenanceMode(maintenance).maintenanceConfig(mc.build()).prometheusRegistry(registry).build();
        // opskit's filters first (correlation ID, maintenance, HTTP metrics), then the request log inside them
        context.addServletContainerInitializer((classes, ctx) -> {
            OpsServlets.register(ctx, ops, servletConfig);
            ctx.addFilter("requestLog", new RequestLogFilter())
                    .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/*");
        });
        context.addServlet(new ServletHolder(new ItemsServlet(dataSource, cache)), "/api/items");
        context.addServlet(new ServletHolder(new SimpleApiServlets.Ping()), "/api/ping");
        context.addServlet(new ServletHolder(new SimpleApiServlets.Slow(dataSource)), "/api/slow");
        context.addServlet(new ServletHolder(new SimpleApiServlets.Fail()), "/api/fail");
        server.setHandler(context);
        server.setStopTimeout(5000);
        server.start();
        port = connector.getLocalPort();
        ops.start();
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
        return List.of("/health", "/health/live", "/health/ready", "/health/started", "/livez", "/readyz", "/metrics",
                "/ops/events", "/ops/maintenance", "/ops/slow-queries", "/ops/leaks", "/ops/pool", "/ops/info", "/ops/loggers",
                "/ops/threaddump", "/ops/jfr", "/ops/maintenance-store", "/api/items", "/api/ping", "/api/slow", "/api/fail");
    }
}
