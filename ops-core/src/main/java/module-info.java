/**
 * opskit core: health contracts, the check engine, probes, the operations surface, maintenance
 * mode, correlation IDs, breakers, metrics and events.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.opskit.core {
    exports io.opskit.core;
    exports io.opskit.core.breaker;
    exports io.opskit.core.checks;
    exports io.opskit.core.correlation;
    exports io.opskit.core.endpoint;
    exports io.opskit.core.maintenance;
    exports io.opskit.core.notify;

    requires transitive micrometer.core;
    requires com.fasterxml.jackson.databind;
    requires transitive io.github.resilience4j.circuitbreaker;
    requires io.github.resilience4j.core;
    requires io.github.resilience4j.micrometer;
    requires org.slf4j;
    requires java.management;
    requires java.net.http;

    requires static jdk.management;
    requires static jdk.jfr;
    requires static ch.qos.logback.classic;
    requires static org.apache.logging.log4j;
    requires static org.apache.logging.log4j.core;
}
