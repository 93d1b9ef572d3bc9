package io.opskit.servlet.internal;

import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * A servlet registered before the application's {@code Ops} exists; it finds its delegate when
 * initialised. Without one it answers 503 with a JSON body saying how to provide the {@code Ops}.
 */
public final class LazyServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final byte[] NOT_CONFIGURED = ("{\"status\":\"fail\",\"output\":\"opskit: no Ops found; set the"
            + " servlet context attribute io.opskit.Ops or provide an io.opskit.servlet.OpsProvider\"}")
            .getBytes(StandardCharsets.UTF_8);

    private final transient Function<Components, Optional<? extends Servlet>> select;
    private transient volatile Servlet delegate;

    /** A servlet that becomes {@code select.apply(components)}. */
    public LazyServlet(Function<Components, Optional<? extends Servlet>> select) {
        this.select = select;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        Optional<? extends Servlet> d = OpsLookup.components(config.getServletContext()).flatMap(select);
        if (d.isPresent()) {
            d.get().init(config);
            delegate = d.get();
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        Servlet d = delegate;
        if (d != null) {
            d.service(request, response);
            return;
        }
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(NOT_CONFIGURED.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(NOT_CONFIGURED);
        }
    }
}
