/**
 * opskit for HTTP: dependency and TLS certificate checks, the correlation-aware client and
 * {@code OpsHttpServer}, the operations surface on the JDK's own HTTP server (a management port).
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.opskit.http {
    exports io.opskit.http;

    requires transitive io.opskit.core;
    requires transitive java.net.http;
    requires transitive jdk.httpserver;
    requires transitive micrometer.registry.prometheus;
    requires transitive io.github.resilience4j.retry;
    requires io.github.resilience4j.core;
    requires org.slf4j;
}
