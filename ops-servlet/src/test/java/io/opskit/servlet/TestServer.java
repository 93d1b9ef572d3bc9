package io.opskit.servlet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.tomcat.TomcatMetrics;
import jakarta.servlet.ServletContainerInitializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** A real embedded container on a free loopback port, set up by a {@link ServletContainerInitializer}. */
interface TestServer extends AutoCloseable {

    /** Request headers up to this size are accepted, so the filter (not the container) judges a 10 KB ID. */
    int MAX_HEADER = 64 * 1024;

    int port();

    /**
     * Binds Micrometer's binder of this container's request thread pool to {@code registry}, as the
     * README tells users to: {@code JettyServerThreadPoolMetrics} or {@code TomcatMetrics}.
     */
    AutoCloseable bindThreadPoolMetrics(MeterRegistry registry);

    @Override
    void close();

    static TestServer jetty(ServletContainerInitializer setup) throws Exception {
        return jetty(setup, null);
    }

    /** Jetty with one HTTPS connector presenting the key in {@code keyStore} (password {@code changeit}). */
    static TestServer jettyTls(ServletContainerInitializer setup, KeyStore keyStore) throws Exception {
        return jetty(setup, keyStore);
    }

    private static TestServer jetty(ServletContainerInitializer setup, KeyStore keyStore) throws Exception {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_HEADER);
        http.setSendServerVersion(false);
        ServerConnector connector;
        if (keyStore == null) {
            connector = new ServerConnector(server, new HttpConnectionFactory(http));
        } else {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            secure.setSniHostCheck(false); // the client connects to 127.0.0.1 and sends no SNI
            http.addCustomizer(secure);
            SslContextFactory.Server tls = new SslContextFactory.Server();
            tls.setKeyStore(keyStore);
            tls.setKeyStorePassword("changeit");
            connector = new ServerConnector(server, tls, new HttpConnectionFactory(http));
        }
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer(setup);
        server.setHandler(context);
        server.start();
        int port = connector.getLocalPort();
        return new TestServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public AutoCloseable bindThreadPoolMetrics(MeterRegistry registry) {
                JettyServerThreadPoolMetrics metrics = new JettyServerThreadPoolMetrics(server.getThreadPool(), Tags.empty());
                metrics.bindTo(registry);
                return metrics;
            }

            @Override
            public void close() {
                try {
                    server.stop();
                } catch (Exception e) {
                    throw new IllegalStateException("stopping Jetty failed", e);
                }
            }
        };
    }

    static TestServer tomcat(ServletContainerInitializer setup) throws Exception {
        Path base = Files.createTempDirectory("opskit-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxHttpRequestHeaderSize", Integer.toString(MAX_HEADER));
        connector.setProperty("maxHttpHeaderSize", Integer.toString(MAX_HEADER));
        connector.setProperty("maxKeepAliveRequests", "-1"); // the 10,000-path test pipelines on one connection
        tomcat.setConnector(connector);
        Path docBase = Files.createDirectories(base.resolve("docs"));
        Context context = tomcat.addContext("", docBase.toString());
        context.addServletContainerInitializer(setup, null);
        tomcat.start();
        int port = connector.getLocalPort();
        return new TestServer() {
            @Override
            public int port() {
                return port;
            }

            @Override
            public AutoCloseable bindThreadPoolMetrics(MeterRegistry registry) {
                TomcatMetrics metrics = new TomcatMetrics(context.getManager(), Tags.empty());
                metrics.bindTo(registry);
                return metrics;
            }

            @Override
            public void close() {
                try {
                    tomcat.stop();
                    tomcat.destroy();
                } catch (LifecycleException e) {
                    throw new IllegalStateException("stopping Tomcat failed", e);
                }
                try (Stream<Path> files = Files.walk(base)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }
}
