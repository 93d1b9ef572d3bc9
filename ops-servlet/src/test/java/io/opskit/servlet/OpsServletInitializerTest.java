package io.opskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opskit.core.Ops;
import io.opskit.core.Result;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container initializer: opskit in an existing web application with nothing but the jar. */
class OpsServletInitializerTest {

    /** Read by {@link AppListener} (a container instantiates it by class name). */
    static volatile Ops listenerOps;
    /** Read by {@link TestProvider}, found through META-INF/services. */
    static volatile Ops providedOps;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Ops ops;
    private PrometheusMeterRegistry registry;

    @TempDir
    Path dir;

    @BeforeEach
    void startOps() throws Exception {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ops = Ops.builder().meterRegistry(registry).check("db:ping", Result::pass).build().start();
        ops.refreshAll().get(10, TimeUnit.SECONDS);
        ops.markReady();
    }

    @AfterEach
    void stopOps() {
        listenerOps = null;
        providedOps = null;
        ops.close();
        registry.close();
    }

    @Test
    void aTomcatWebappPicksOpskitUpFromTheClassPathAndFindsOpsThroughTheContextAttribute() throws Exception {
        listenerOps = ops;
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(dir.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Path webapp = Files.createDirectories(dir.resolve("webapp"));
        Context context = tomcat.addWebapp("", webapp.toString());
        context.addApplicationListener(AppListener.class.getName());
        // the initializer is found through META-INF/services, not by scanning jars: skip the slow scan
        ((StandardJarScanner) context.getJarScanner()).setScanClassPath(false);
        tomcat.start();
        try {
            int port = connector.getLocalPort();
            HttpResponse<String> ready = get(port, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.headers().firstValue("X-Correlation-ID")).isPresent();
            assertThat(ready.body()).contains("\"status\":\"pass\"");
            assertThat(get(port, "/metrics").body()).contains("opskit_health_status");
        } finally {
            tomcat.stop();
            tomcat.destroy();
        }
    }

    @Test
    void withoutAnOpsTheFiltersPassAndHealthSaysHowToProvideOne() throws Exception {
        try (Jetty jetty = new Jetty()) {
            HttpResponse<String> health = get(jetty.port, "/health");
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("io.opskit.Ops", "OpsProvider");
            assertThat(get(jetty.port, "/anything").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void anOpsProviderFromTheServiceLoaderIsUsed() throws Exception {
        providedOps = ops;
        try (Jetty jetty = new Jetty()) {
            HttpResponse<String> live = get(jetty.port, "/health/live");
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(live.headers().firstValue("X-Correlation-ID")).isPresent();
        }
    }

    @Test
    void theInitParameterTurnsTheInitializerOff() throws Exception {
        providedOps = ops;
        try (Jetty jetty = new Jetty("false")) {
            assertThat(get(jetty.port, "/health").statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Jetty with only opskit's initializer, as a container discovering it would run it. */
    private static final class Jetty implements AutoCloseable {
        final Server server = new Server();
        final int port;

        Jetty() throws Exception {
            this(null);
        }

        Jetty(String enabled) throws Exception {
            ServerConnector connector = new ServerConnector(server);
            connector.setHost("127.0.0.1");
            connector.setPort(0);
            server.addConnector(connector);
            ServletContextHandler context = new ServletContextHandler("/");
            if (enabled != null) {
                context.setInitParameter(OpsServlets.ENABLED_PARAMETER, enabled);
            }
            context.addServletContainerInitializer(new OpsServletInitializer());
            server.setHandler(context);
            server.start();
            port = connector.getLocalPort();
        }

        @Override
        public void close() {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("stopping Jetty failed", e);
            }
        }
    }

    /** The application's own listener, publishing its Ops under the documented attribute. */
    public static final class AppListener implements ServletContextListener {
        @Override
        public void contextInitialized(ServletContextEvent event) {
            event.getServletContext().setAttribute(OpsServlets.OPS_ATTRIBUTE, listenerOps);
        }
    }

    /** A provider as an application would list it in META-INF/services. */
    public static final class TestProvider implements OpsProvider {
        @Override
        public Optional<Ops> ops(ServletContext context) {
            return Optional.ofNullable(providedOps);
        }
    }
}
