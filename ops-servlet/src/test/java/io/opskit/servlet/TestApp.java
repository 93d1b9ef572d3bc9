package io.opskit.servlet;

import io.opskit.core.correlation.CorrelationId;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** The small application the servlet tests run opskit in. */
final class TestApp {

    static final Logger LOG = LoggerFactory.getLogger("io.opskit.servlet.test.App");

    /** The MDC as the outermost filter saw it after each request, on the request thread. */
    static final LinkedBlockingQueue<Map<String, String>> MDC_AFTER = new LinkedBlockingQueue<>();

    private TestApp() {
    }

    /** Registers the app's servlets and an outermost filter; opskit is registered after it. */
    static void install(ServletContext context, ExecutorService executor) {
        var outer = context.addFilter("outermost", new MdcProbe());
        outer.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
        outer.setAsyncSupported(true);
        context.addServlet("echo", new Echo()).addMapping("/app/echo");
        context.addServlet("executor", new OnExecutor(executor)).addMapping("/app/executor");
        var async = context.addServlet("async", new AsyncDispatch());
        async.addMapping("/app/async");
        async.setAsyncSupported(true);
        context.addServlet("boom", new Boom()).addMapping("/app/boom");
        context.addServlet("root", new Root()).addMapping("/");
    }

    private static void text(HttpServletResponse response, String body) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }

    static final class MdcProbe implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            try {
                chain.doFilter(request, response);
            } finally {
                Map<String, String> mdc = MDC.getCopyOfContextMap();
                MDC_AFTER.add(mdc == null ? Map.of() : mdc);
            }
        }
    }

    static final class Echo extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            LOG.info("handling {}", request.getRequestURI());
            LOG.info("still handling");
            text(response, CorrelationId.current().orElse("none") + "|"
                    + request.getAttribute(CorrelationIdFilter.REQUEST_ATTRIBUTE));
        }
    }

    static final class OnExecutor extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient ExecutorService executor;

        OnExecutor(ExecutorService executor) {
            this.executor = executor;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try {
                String seen = CorrelationId.wrap(executor).submit(() -> {
                    LOG.info("on the executor");
                    return CorrelationId.current().orElse("none");
                }).get(5, TimeUnit.SECONDS);
                text(response, seen);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new IOException(e);
            }
        }
    }

    static final class AsyncDispatch extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            AsyncContext async = request.startAsync();
            async.start(() -> async.dispatch("/app/echo"));
        }
    }

    static final class Boom extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) {
            LOG.info("about to fail");
            throw new IllegalStateException("boom");
        }
    }

    static final class Root extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            text(response, "root");
        }
    }
}
