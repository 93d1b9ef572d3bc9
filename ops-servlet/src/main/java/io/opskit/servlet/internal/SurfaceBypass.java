package io.opskit.servlet.internal;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;

/**
 * Lets the operations surface past the maintenance filter: the Kubernetes probes
 * ({@code /livez}, {@code /readyz}) must keep answering during maintenance or pods restart, and
 * {@code /ops/*} must, or an operator could not switch maintenance off. {@code /ops/*} needs a
 * token anyway. Every other request goes through the wrapped filter.
 */
public final class SurfaceBypass implements Filter {

    private static final List<String> PATHS = List.of("/livez", "/readyz");
    private static final String OPS = "/ops/";

    private final Filter delegate;

    /** Wraps {@code delegate}. */
    public SurfaceBypass(Filter delegate) {
        this.delegate = delegate;
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        delegate.init(config);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && exempt(http)) {
            chain.doFilter(request, response);
            return;
        }
        delegate.doFilter(request, response, chain);
    }

    private static boolean exempt(HttpServletRequest request) {
        // the container's decoded, normalised path (never the raw URI: "/ops/../api" must not pass)
        String path = (request.getServletPath() == null ? "" : request.getServletPath())
                + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return PATHS.contains(path) || path.startsWith(OPS);
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }
}
