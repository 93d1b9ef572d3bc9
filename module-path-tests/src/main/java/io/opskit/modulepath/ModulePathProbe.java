package io.opskit.modulepath;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Result;
import io.opskit.core.checks.DeadlockCheck;
import io.opskit.core.endpoint.OpsAccess;
import io.opskit.core.endpoint.OpsSurfaceConfig;
import io.opskit.core.endpoint.Role;
import io.opskit.http.OpsHttpServer;
import io.opskit.jdbc.DataSourceHealthCheck;
import io.opskit.jdbc.QueryMonitor;
import io.opskit.redis.RedisLatencyMetrics;
import jakarta.servlet.ServletContainerInitializer;
import java.lang.module.ModuleDescriptor;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * Builds {@link Ops} with checks of ops-core and ops-jdbc, serves it with {@link OpsHttpServer}
 * and asks the endpoints, all on the module path. Prints one line per step and {@code PROBE OK}
 * at the end; exits with 1 at the first step that fails.
 */
public final class ModulePathProbe {

    /** The line printed when every step passed. */
    public static final String OK = "PROBE OK";
    private static final String OPERATOR = "module-path-operator-token";
    private static final List<String> OPSKIT = List.of("io.opskit.core", "io.opskit.jdbc", "io.opskit.redis",
            "io.opskit.http", "io.opskit.servlet");

    private ModulePathProbe() {
    }

    /** Runs every step; the exit code is 0 only if all passed. */
    public static void main(String[] args) throws Exception {
        try {
            run();
            System.out.println(OK);
        } catch (Exception | AssertionError | LinkageError e) {
            System.out.println("PROBE FAILED: " + e);
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        modulesAreExplicit();
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DataSource dataSource = QueryMonitor.create().wrap(h2());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
        }
        step("jdbc: a query through datasource-proxy");
        check(RedisLatencyMetrics.recorder(prometheus).isEnabled(), "the Lettuce latency recorder is enabled");
        step("redis: Lettuce types through io.opskit.redis");
        servletInitializerIsProvided();

        try (Ops ops = Ops.builder().serviceId("module-path").version("1").meterRegistry(prometheus)
                .check(CheckRegistration.builder("probe:ping", () -> Result.pass("fine")
                        .withDetail("modules", OPSKIT).withDetail("limits", Map.of("max", 3))
                        .withObservedValue(3, "ms")).build())
                .check(DataSourceHealthCheck.of(dataSource).registration())
                .check(DeadlockCheck.create().registration())
                .build().start()) {
            ops.refreshAll().get(30, TimeUnit.SECONDS);
            ops.markReady();
            OpsSurfaceConfig surface = OpsSurfaceConfig.builder()
                    .access(OpsAccess.builder().token("probe", OPERATOR, Role.OPERATOR).build()).heapDump(true).build();
            try (OpsHttpServer server = OpsHttpServer.builder(ops).address(InetAddress.getLoopbackAddress()).port(0)
                    .prometheus(prometheus).surface(surface).build().start()) {
                String base = "http://127.0.0.1:" + server.port();
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                expect(client, base, "/health/ready", false, "\"status\":\"pass\"");
                expect(client, base, "/health", true, "\"probe:ping\"", "\"db:connection\"", "\"max\":3");
                expect(client, base, "/readyz?verbose", true, "[+]probe:ping ok");
                expect(client, base, "/metrics", false, "opskit_");
                expect(client, base, "/ops/info", true, "\"module-path\"");
                expect(client, base, "/ops/loggers", true, "\"ROOT\"");
                expect(client, base, "/ops/threaddump", true, "main");
                expect(client, base, "/ops/events", true, "probe:ping");
                post(client, base, "/ops/jfr?duration=PT1S");           // jdk.jfr: requires static
                post(client, base, "/ops/heapdump");                    // jdk.management: requires static
            }
        }
    }

    private static void modulesAreExplicit() {
        for (String name : OPSKIT) {
            Module module = ModuleLayer.boot().findModule(name)
                    .orElseThrow(() -> new AssertionError(name + " is not in the boot layer"));
            ModuleDescriptor descriptor = module.getDescriptor();
            check(!descriptor.isAutomatic(), name + " has a module-info (not an automatic module)");
            for (String pkg : descriptor.packages()) {
                check(!pkg.contains("internal") || !module.isExported(pkg), name + " keeps " + pkg + " to itself");
            }
        }
        Module core = ModuleLayer.boot().findModule("io.opskit.core").orElseThrow();
        check(ModulePathProbe.class.getModule().canRead(core), "this module reads io.opskit.core");
        // optional JDK modules, "requires static": present in every full JDK through java.management's services
        for (String jdk : List.of("jdk.jfr", "jdk.management", "ch.qos.logback.classic")) {
            check(ModuleLayer.boot().findModule(jdk).map(core::canRead).orElse(false), "io.opskit.core reads " + jdk);
        }
        step("modules: " + OPSKIT + " are explicit modules, internal packages not exported");
    }

    private static void servletInitializerIsProvided() {
        List<String> providers = ServiceLoader.load(ServletContainerInitializer.class).stream()
                .map(p -> p.type().getName()).toList();
        check(providers.contains("io.opskit.servlet.OpsServletInitializer"),
                "io.opskit.servlet provides its ServletContainerInitializer, found " + providers);
        step("servlet: the container initializer is a provided service");
    }

    private static DataSource h2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:probe;DB_CLOSE_DELAY=-1");
        return h2;
    }

    private static void expect(HttpClient client, String base, String path, boolean operator, String... contains)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
        if (operator) {
            request.header("Authorization", "Bearer " + OPERATOR);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        check(response.statusCode() == 200, "GET " + path + " answers 200, was " + response.statusCode()
                + ": " + response.body());
        for (String text : contains) {
            check(response.body().contains(text), "GET " + path + " contains " + text + ": " + response.body());
        }
        step("GET " + path + " 200");
    }

    private static void post(HttpClient client, String base, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + OPERATOR).POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        check(response.statusCode() == 200, "POST " + path + " answers 200, was " + response.statusCode()
                + ": " + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        check(response.body().length > 0, "POST " + path + " answers a file");
        step("POST " + path + " 200, " + response.body().length + " bytes");
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static void step(String what) {
        System.out.println("ok " + what);
    }
}
