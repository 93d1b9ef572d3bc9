package io.opskit.spring.boot;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opskit.core.correlation.CorrelationIdConfig;
import io.opskit.servlet.CorrelationIdFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * opskit's {@link CorrelationIdFilter} that, for a request carrying no correlation ID of its own,
 * takes the trace id Micrometer Tracing opened for it (so log lines, traces and the
 * {@code X-Correlation-ID} response header share one ID) instead of generating one. Runs after
 * Spring's observation filter, which opens the trace.
 */
final class TraceIdCorrelationFilter implements Filter {

    private final CorrelationIdFilter delegate;
    private final CorrelationIdConfig config;
    private final Tracer tracer;

    TraceIdCorrelationFilter(CorrelationIdConfig config, Tracer tracer) {
        this.delegate = new CorrelationIdFilter(config);
        this.config = config;
        this.tracer = tracer;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (req instanceof HttpServletRequest request && request.getAttribute(CorrelationIdFilter.REQUEST_ATTRIBUTE) == null
                && config.inbound(request::getHeader).isEmpty()) {
            Span span = tracer.currentSpan();
            String traceId = span == null ? null : span.context().traceId();
            if (traceId != null && config.format().isValid(traceId)) {
                delegate.doFilter(new TraceIdRequest(request, config.headers().get(0), traceId), res, chain);
                return;
            }
        }
        delegate.doFilter(req, res, chain);
    }

    /** The request, answering the first correlation header with the trace id. */
    private static final class TraceIdRequest extends HttpServletRequestWrapper {
        private final String header;
        private final String traceId;

        TraceIdRequest(HttpServletRequest request, String header, String traceId) {
            super(request);
            this.header = header;
            this.traceId = traceId;
        }

        @Override
        public String getHeader(String name) {
            return header.equalsIgnoreCase(name) ? traceId : super.getHeader(name);
        }
    }
}
