package io.opskit.servlet;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.Set;

/**
 * Installs opskit in an existing web application with nothing but the jar on the class path
 * (listed in {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}).
 *
 * <p>It registers the filters and the health and metrics servlets at start-up; they find the
 * application's {@link io.opskit.core.Ops} when the container initialises them, after the
 * application's listeners ran, through one of two documented hooks:
 * <ol>
 *   <li>the servlet-context attribute {@link OpsServlets#OPS_ATTRIBUTE} ({@code "io.opskit.Ops"}),
 *       set by a {@code ServletContextListener}, optionally with an {@link OpsServletConfig} under
 *       {@link OpsServlets#CONFIG_ATTRIBUTE};</li>
 *   <li>an {@link OpsProvider} listed in {@code META-INF/services/io.opskit.servlet.OpsProvider}.</li>
 * </ol>
 * Without either, the filters pass every request and the health servlet answers 503 saying so.
 * Context init parameters: {@code io.opskit.servlet.enabled=false} turns it off;
 * {@code io.opskit.servlet.healthPath} and {@code io.opskit.servlet.metricsPath} move the servlets.
 */
public final class OpsServletInitializer implements ServletContainerInitializer {

    /** Context init parameter moving the health servlet (default {@code /health}). */
    public static final String HEALTH_PATH_PARAMETER = "io.opskit.servlet.healthPath";
    /** Context init parameter moving the metrics servlet (default {@code /metrics}). */
    public static final String METRICS_PATH_PARAMETER = "io.opskit.servlet.metricsPath";

    /** Called by the container. */
    public OpsServletInitializer() {
    }

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        if ("false".equalsIgnoreCase(context.getInitParameter(OpsServlets.ENABLED_PARAMETER))
                || context.getAttribute(OpsServlets.REGISTERED_ATTRIBUTE) != null) {
            return;
        }
        String health = context.getInitParameter(HEALTH_PATH_PARAMETER);
        String metrics = context.getInitParameter(METRICS_PATH_PARAMETER);
        OpsServlets.registerLazily(context,
                health == null || health.isBlank() ? OpsServletConfig.DEFAULT_HEALTH_PATH : health.strip(),
                metrics == null || metrics.isBlank() ? OpsServletConfig.DEFAULT_METRICS_PATH : metrics.strip());
    }
}
