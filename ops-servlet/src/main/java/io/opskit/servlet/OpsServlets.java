package io.opskit.servlet;

import io.opskit.core.Ops;
import io.opskit.servlet.internal.Components;
import io.opskit.servlet.internal.LazyFilter;
import io.opskit.servlet.internal.LazyServlet;
import io.opskit.servlet.internal.OpsLookup;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers opskit's filters and servlets in a servlet context, for embedded containers and
 * apps that wire themselves in code:
 *
 * <pre>{@code
 * // Jetty 12 (ee10), before start:
 * context.addServletContainerInitializer(OpsServlets.initializer(ops, OpsServletConfig.DEFAULT));
 * // Tomcat 11:
 * tomcatContext.addServletContainerInitializer(OpsServlets.initializer(ops, OpsServletConfig.DEFAULT), null);
 * // or, wherever the container allows programmatic registration:
 * OpsServlets.register(servletContext, ops, config);
 * }</pre>
 *
 * <p>Filters, in order, before the application's own: correlation ID (also on async and error
 * dispatches), maintenance (so maintenance 503s do not count as server errors in the SLO
 * metrics), HTTP metrics. Servlets: health at {@code /health} and {@code /health/*}, metrics at
 * {@code /metrics} when a Prometheus registry is available.
 */
public final class OpsServlets {

    /** Servlet-context attribute holding the application's {@link Ops} (the hook of {@link OpsServletInitializer}). */
    public static final String OPS_ATTRIBUTE = "io.opskit.Ops";
    /** Servlet-context attribute holding an {@link OpsServletConfig} for {@link OpsServletInitializer}. */
    public static final String CONFIG_ATTRIBUTE = "io.opskit.servlet.OpsServletConfig";
    /** Context init parameter: {@code false} keeps {@link OpsServletInitializer} from registering anything. */
    public static final String ENABLED_PARAMETER = "io.opskit.servlet.enabled";
    /** Set on the context once opskit is registered, so it never registers twice. */
    public static final String REGISTERED_ATTRIBUTE = "io.opskit.servlet.registered";

    static final String CORRELATION = "opskitCorrelationId";
    static final String MAINTENANCE = "opskitMaintenance";
    static final String HTTP_METRICS = "opskitHttpMetrics";
    static final String SURFACE = "opskitSurface";

    private static final Logger log = LoggerFactory.getLogger(OpsServlets.class);

    private OpsServlets() {
    }

    /**
     * Registers the filters and servlets of {@code config} for {@code ops} now. Call it while the
     * container accepts programmatic registration (a {@link ServletContainerInitializer}, or
     * Jetty's context before start). A maintenance mode created for the defaults is closed with
     * the context.
     */
    public static void register(ServletContext context, Ops ops, OpsServletConfig config) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(config, "config");
        if (context.getAttribute(REGISTERED_ATTRIBUTE) != null) {
            throw new IllegalStateException("opskit is already registered in context '" + context.getContextPath()
                    + "': register once (set " + ENABLED_PARAMETER + "=false to turn the automatic initializer off)");
        }
        context.setAttribute(REGISTERED_ATTRIBUTE, Boolean.TRUE);
        Components components = new Components(ops, config);
        context.addListener(new Closer(components));
        install(context, config, components.correlation(), components.maintenance(), components.httpMetrics(),
                components.surface().orElseThrow(), components.metrics().isPresent());
        if (config.metrics() && components.metrics().isEmpty()) {
            log.info("opskit: no PrometheusMeterRegistry in the Ops's meter registry; {} is not served",
                    config.metricsPath());
        }
    }

    /** A {@link ServletContainerInitializer} that calls {@link #register} at the right moment for any container. */
    public static ServletContainerInitializer initializer(Ops ops, OpsServletConfig config) {
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(config, "config");
        return (classes, context) -> register(context, ops, config);
    }

    /** Registers lazy filters and servlets that find their {@code Ops} when the container initialises them. */
    static void registerLazily(ServletContext context, String healthPath, String metricsPath) {
        context.setAttribute(REGISTERED_ATTRIBUTE, Boolean.TRUE);
        context.addListener(new LazyCloser());
        OpsServletConfig paths = OpsServletConfig.builder().healthPath(healthPath).metricsPath(metricsPath).build();
        install(context, paths, new LazyFilter(Components::correlation), new LazyFilter(Components::maintenance),
                new LazyFilter(Components::httpMetrics), new LazyServlet(Components::surface), true);
    }

    private static void install(ServletContext context, OpsServletConfig config, Filter correlation,
                                Filter maintenance, Filter httpMetrics, Servlet surface, boolean metrics) {
        if (config.correlation()) {
            filter(context, CORRELATION, correlation,
                    EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR));
        }
        if (config.maintenance()) {
            filter(context, MAINTENANCE, maintenance, EnumSet.of(DispatcherType.REQUEST));
        }
        if (config.httpMetrics()) {
            filter(context, HTTP_METRICS, httpMetrics, EnumSet.of(DispatcherType.REQUEST));
        }
        List<String> mappings = new ArrayList<>();
        if (config.health()) {
            mappings.addAll(List.of(config.healthPath(), config.healthPath() + "/*", "/livez", "/readyz"));
        }
        if (config.metrics() && metrics) {
            mappings.add(config.metricsPath());
        }
        if (config.ops()) {
            mappings.add("/ops/*");
        }
        if (!mappings.isEmpty()) {
            ServletRegistration.Dynamic r = context.addServlet(SURFACE, surface);
            r.setAsyncSupported(true);
            r.addMapping(mappings.toArray(String[]::new));
        }
    }

    private static void filter(ServletContext context, String name, Filter filter, EnumSet<DispatcherType> types) {
        FilterRegistration.Dynamic r = context.addFilter(name, filter);
        r.setAsyncSupported(true);
        r.addMappingForUrlPatterns(types, false, "/*");
    }

    /** Closes what the components own when the context goes away. */
    private record Closer(Components components) implements ServletContextListener {
        @Override
        public void contextDestroyed(ServletContextEvent event) {
            components.close();
        }
    }

    private static final class LazyCloser implements ServletContextListener {
        @Override
        public void contextDestroyed(ServletContextEvent event) {
            OpsLookup.close(event.getServletContext());
        }
    }
}
