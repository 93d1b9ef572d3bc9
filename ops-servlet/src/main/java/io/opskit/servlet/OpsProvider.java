package io.opskit.servlet;

import io.opskit.core.Ops;
import jakarta.servlet.ServletContext;
import java.util.Optional;

/**
 * The {@link java.util.ServiceLoader} hook through which {@link OpsServletInitializer} finds the
 * application's {@link Ops} when the jar is merely on the class path. Implement it and list the
 * class in {@code META-INF/services/io.opskit.servlet.OpsProvider}. (The simpler hook: set the
 * servlet-context attribute {@link OpsServlets#OPS_ATTRIBUTE} from a
 * {@code ServletContextListener}.)
 */
public interface OpsProvider {

    /** The application's {@code Ops}, started or not; empty when this provider has none for {@code context}. */
    Optional<Ops> ops(ServletContext context);

    /** How the servlets and filters are configured (default {@link OpsServletConfig#DEFAULT}). */
    default OpsServletConfig config(ServletContext context) {
        return OpsServletConfig.DEFAULT;
    }
}
