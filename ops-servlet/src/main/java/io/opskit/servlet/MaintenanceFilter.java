package io.opskit.servlet;

import io.opskit.core.maintenance.MaintenanceDecision;
import io.opskit.core.maintenance.MaintenanceGate;
import io.opskit.servlet.internal.ServletMaintenanceRequest;
import io.opskit.servlet.internal.UnreadBody;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * Answers 503 while maintenance mode is on: a thin translation of a {@link MaintenanceGate}
 * decision (HTML page or {@code application/problem+json}, {@code Retry-After},
 * {@code Cache-Control: no-store}; health and metrics paths, the bypass secret and allowlisted
 * networks pass). While maintenance is off it costs one volatile read. Registered by
 * {@link OpsServlets}, its gate counts refusals ({@code opskit.maintenance.refused}) in the
 * {@code Ops}'s meter registry and audits uses of the bypass in {@code ops.events()}; built by
 * hand, give the gate those with {@link MaintenanceGate#builder}.
 */
public final class MaintenanceFilter implements Filter {

    /**
     * A request attribute set on every request this filter answered with its maintenance response;
     * {@link HttpMetricsFilter} leaves such requests out of {@code http.server.requests}.
     */
    public static final String ANSWERED_ATTRIBUTE = "io.opskit.maintenance.answered";

    private final MaintenanceGate gate;

    /** A filter deciding with {@code gate}. */
    public MaintenanceFilter(MaintenanceGate gate) {
        this.gate = Objects.requireNonNull(gate, "gate");
    }

    /** The gate. */
    public MaintenanceGate gate() {
        return gate;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!gate.mode().isEnabled() || !(req instanceof HttpServletRequest request)
                || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        MaintenanceDecision decision = gate.decide(new ServletMaintenanceRequest(request));
        if (decision.isPass()) {
            chain.doFilter(req, res);
            return;
        }
        request.setAttribute(ANSWERED_ATTRIBUTE, Boolean.TRUE);
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        UnreadBody.settle(request, response);
        response.setStatus(decision.status());
        for (Map.Entry<String, String> h : decision.headers().entrySet()) {
            response.setHeader(h.getKey(), h.getValue());
        }
        decision.contentType().ifPresent(response::setContentType);
        response.setContentLength(decision.contentLength());
        if (decision.contentLength() > 0 && !"HEAD".equals(request.getMethod())) {
            decision.writeTo(response.getOutputStream());
        }
        response.flushBuffer();
    }
}
