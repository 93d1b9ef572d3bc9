package io.opskit.servlet;

import io.opskit.core.correlation.CorrelationId;
import io.opskit.core.correlation.CorrelationIdConfig;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Gives every request a correlation ID: the first valid inbound header of the
 * {@link CorrelationIdConfig} ({@code X-Correlation-ID}, then {@code X-Request-ID}, then the
 * trace-id of a valid {@code traceparent}), else a generated one. Invalid inbound values (too
 * long, CR/LF, quotes, non-ASCII) are replaced, never echoed or logged. The ID is put on the
 * request attribute {@link #REQUEST_ATTRIBUTE}, into the slf4j MDC for the duration of the
 * request, and on the response header; the MDC is restored after the request, also when the
 * chain throws. Async requests keep their ID: register the filter for the {@code ASYNC}
 * dispatch too (as {@link OpsServlets} does) and every dispatch of the request reuses it.
 *
 * <p>With the no-argument constructor (web.xml), the init parameters {@code headers}
 * (comma-separated) and {@code responseHeader} configure it.
 */
public final class CorrelationIdFilter implements Filter {

    /** The request attribute holding the ID. */
    public static final String REQUEST_ATTRIBUTE = "io.opskit.correlationId";

    private CorrelationIdConfig config;

    /** A filter with {@link CorrelationIdConfig#DEFAULT} (or the init parameters). */
    public CorrelationIdFilter() {
        this.config = null;
    }

    /** A filter with {@code config}. */
    public CorrelationIdFilter(CorrelationIdConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public void init(FilterConfig filterConfig) {
        if (config != null) {
            return;
        }
        CorrelationIdConfig.Builder b = CorrelationIdConfig.builder();
        String headers = filterConfig.getInitParameter("headers");
        if (headers != null && !headers.isBlank()) {
            b.headers(Arrays.stream(headers.split(",")).map(String::strip).toArray(String[]::new));
        }
        String responseHeader = filterConfig.getInitParameter("responseHeader");
        if (responseHeader != null && !responseHeader.isBlank()) {
            b.responseHeader(responseHeader.strip());
        }
        config = b.build();
    }

    /** The config in use. */
    public CorrelationIdConfig config() {
        return config == null ? CorrelationIdConfig.DEFAULT : config;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        CorrelationIdConfig c = config();
        String id;
        Object existing = request.getAttribute(REQUEST_ATTRIBUTE);
        if (existing instanceof String s) {
            id = s; // a later dispatch (async, error) of a request that already has its ID
        } else {
            id = c.resolve(request::getHeader);
            request.setAttribute(REQUEST_ATTRIBUTE, id);
            response.setHeader(c.responseHeader(), id);
        }
        CorrelationId.Scope scope = CorrelationId.open(id);
        try {
            chain.doFilter(request, response);
        } finally {
            scope.close();
        }
    }
}
