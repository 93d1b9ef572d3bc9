/**
 * opskit for Servlet 6 containers: {@code /health}, {@code /metrics} and the operations surface as
 * servlets, the maintenance and correlation-ID filters, HTTP server metrics.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.opskit.servlet {
    exports io.opskit.servlet;

    requires transitive io.opskit.core;
    // provided by the container (Maven scope "provided"), yet every class of the module needs it
    requires transitive jakarta.servlet;
    requires transitive micrometer.registry.prometheus;
    requires org.slf4j;

    uses io.opskit.servlet.OpsProvider;
    provides jakarta.servlet.ServletContainerInitializer with io.opskit.servlet.OpsServletInitializer;
}
