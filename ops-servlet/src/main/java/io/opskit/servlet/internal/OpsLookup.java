package io.opskit.servlet.internal;

import io.opskit.core.Ops;
import io.opskit.servlet.OpsProvider;
import io.opskit.servlet.OpsServletConfig;
import io.opskit.servlet.OpsServlets;
import jakarta.servlet.ServletContext;
import java.util.Optional;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the application's {@link Ops} for the container initializer: the servlet-context
 * attribute {@link OpsServlets#OPS_ATTRIBUTE}, else the first {@link OpsProvider} found by
 * {@link ServiceLoader}. Resolved once per context and shared by every lazy filter and servlet.
 */
public final class OpsLookup {

    private static final Logger log = LoggerFactory.getLogger(OpsLookup.class);
    private static final String COMPONENTS_ATTRIBUTE = "io.opskit.servlet.internal.Components";
    private static final String MISSING_ATTRIBUTE = "io.opskit.servlet.internal.missing";

    private OpsLookup() {
    }

    /** The components of {@code context}, built on first call; empty when no {@code Ops} can be found. */
    public static Optional<Components> components(ServletContext context) {
        synchronized (context) {
            Object existing = context.getAttribute(COMPONENTS_ATTRIBUTE);
            if (existing instanceof Components c) {
                return Optional.of(c);
            }
            if (context.getAttribute(MISSING_ATTRIBUTE) != null) {
                return Optional.empty();
            }
            Optional<Components> built = resolve(context);
            if (built.isPresent()) {
                context.setAttribute(COMPONENTS_ATTRIBUTE, built.get());
            } else {
                context.setAttribute(MISSING_ATTRIBUTE, Boolean.TRUE);
                log.warn("opskit: no Ops found for context '{}'; filters pass everything and /health answers 503."
                        + " Set the servlet context attribute {} from a ServletContextListener or provide an {}"
                        + " through META-INF/services.", context.getContextPath(), OpsServlets.OPS_ATTRIBUTE,
                        OpsProvider.class.getName());
            }
            return built;
        }
    }

    /** Closes what the components of {@code context} own. */
    public static void close(ServletContext context) {
        Object existing = context.getAttribute(COMPONENTS_ATTRIBUTE);
        if (existing instanceof Components c) {
            c.close();
            context.removeAttribute(COMPONENTS_ATTRIBUTE);
        }
    }

    private static Optional<Components> resolve(ServletContext context) {
        OpsServletConfig config = context.getAttribute(OpsServlets.CONFIG_ATTRIBUTE) instanceof OpsServletConfig c
                ? c : null;
        if (context.getAttribute(OpsServlets.OPS_ATTRIBUTE) instanceof Ops ops) {
            return Optional.of(new Components(ops, config == null ? OpsServletConfig.DEFAULT : config));
        }
        ClassLoader loader = context.getClassLoader();
        for (OpsProvider provider : ServiceLoader.load(OpsProvider.class, loader)) {
            Optional<Ops> ops = provider.ops(context);
            if (ops.isPresent()) {
                return Optional.of(new Components(ops.get(), config == null ? provider.config(context) : config));
            }
        }
        return Optional.empty();
    }
}
