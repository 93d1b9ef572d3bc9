package io.opskit.servlet.internal;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * A filter registered before the application's {@code Ops} exists (by the container
 * initializer); it finds its delegate when the container initialises it, after the
 * application's listeners ran. Without an {@code Ops} it lets every request through.
 */
public final class LazyFilter implements Filter {

    private final Function<Components, Filter> select;
    private volatile Filter delegate;

    /** A filter that becomes {@code select.apply(components)}. */
    public LazyFilter(Function<Components, Filter> select) {
        this.select = select;
    }

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        Optional<Components> components = OpsLookup.components(filterConfig.getServletContext());
        delegate = components.map(select).orElse(null);
        if (delegate != null) {
            delegate.init(filterConfig);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        Filter d = delegate;
        if (d == null) {
            chain.doFilter(request, response);
        } else {
            d.doFilter(request, response, chain);
        }
    }
}
