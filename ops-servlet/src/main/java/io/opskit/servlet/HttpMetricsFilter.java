package io.opskit.servlet;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opskit.servlet.internal.ServletMaintenanceRequest;
import io.opskit.servlet.internal.UriTagger;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Times every request into the {@code http.server.requests} timer, tagged {@code method},
 * {@code status}, {@code outcome} ({@code SUCCESS}, {@code CLIENT_ERROR}, {@code SERVER_ERROR},
 * …), {@code exception} and a bounded {@code uri} (the route template when a
 * {@link RouteMapper} knows it, else the first path segment, capped; never the raw path). The
 * timer publishes p50/p95/p99 so ops-core's SLO checks can read the p95 and, from the
 * {@code outcome} tag, the error ratio. Async requests are timed until they complete.
 *
 * <p>Probes and scrapes are not traffic: requests to {@link HttpMetricsConfig#excludedPaths()}
 * ({@code /health}, {@code /metrics}, {@code /ops}, {@code /livez}, {@code /readyz},
 * {@code /healthz} by default) are not recorded, and neither are the 503s the
 * {@link MaintenanceFilter} answers (it marks them with {@link MaintenanceFilter#ANSWERED_ATTRIBUTE}),
 * in whichever order the two filters run: planned maintenance is not an error.
 */
public final class HttpMetricsFilter implements Filter {

    /** The timer's name. */
    public static final String METRIC = "http.server.requests";
    /** A request attribute naming the route (template) of the request, read by the default {@link RouteMapper}. */
    public static final String ROUTE_ATTRIBUTE = "io.opskit.route";

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
            "TRACE", "CONNECT");

    private final MeterRegistry registry;
    private final HttpMetricsConfig config;
    private final UriTagger uris;
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    /** A filter recording into {@code registry} with {@link HttpMetricsConfig#DEFAULT}. */
    public HttpMetricsFilter(MeterRegistry registry) {
        this(registry, HttpMetricsConfig.DEFAULT);
    }

    /** A filter recording into {@code registry} with {@code config}. */
    public HttpMetricsFilter(MeterRegistry registry, HttpMetricsConfig config) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.config = Objects.requireNonNull(config, "config");
        this.uris = new UriTagger(config.maxUriTags());
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
            chain.doFilter(req, res);
            return;
        }
        if (config.isExcluded(ServletMaintenanceRequest.pathOf(request))) {
            chain.doFilter(request, response);
            return;
        }
        long start = System.nanoTime();
        Throwable failure = null;
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (failure == null && request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new AsyncRecorder(request, response, start));
            } else {
                record(request, response, start, failure);
            }
        }
    }

    private void record(HttpServletRequest request, HttpServletResponse response, long start, Throwable failure) {
        if (request.getAttribute(MaintenanceFilter.ANSWERED_ATTRIBUTE) != null) {
            return;   // a planned 503: counting it would fail the error-ratio SLO of every instance at once
        }
        long elapsed = System.nanoTime() - start;
        int status = response.getStatus();
        if (failure != null && status < 500 && !response.isCommitted()) {
            status = 500; // the container answers 500 for an exception that escapes the chain
        }
        String method = METHODS.contains(request.getMethod()) ? request.getMethod() : "OTHER";
        String uri = uris.tag(config.routeMapper().route(request), status, ServletMaintenanceRequest.pathOf(request));
        String exception = failure == null ? "none" : failure.getClass().getSimpleName();
        Key key = new Key(method, status, uri, exception);
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(key, this::timer);
        }
        timer.record(elapsed, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Key key) {
        Timer.Builder b = Timer.builder(METRIC)
                .description("Duration of HTTP server requests")
                .tag("method", key.method)
                .tag("status", key.status < 100 || key.status > 599 ? "UNKNOWN" : Integer.toString(key.status))
                .tag("outcome", outcome(key.status))
                .tag("uri", key.uri)
                .tag("exception", key.exception)
                .publishPercentileHistogram(config.histogram());
        double[] percentiles = config.percentiles();
        if (percentiles.length > 0) {
            b.publishPercentiles(percentiles);
        }
        return b.register(registry);
    }

    private static String outcome(int status) {
        if (status >= 100 && status < 200) {
            return "INFORMATIONAL";
        } else if (status < 300 && status >= 200) {
            return "SUCCESS";
        } else if (status >= 300 && status < 400) {
            return "REDIRECTION";
        } else if (status >= 400 && status < 500) {
            return "CLIENT_ERROR";
        } else if (status >= 500 && status < 600) {
            return "SERVER_ERROR";
        }
        return "UNKNOWN";
    }

    private record Key(String method, int status, String uri, String exception) {
    }

    /** Records an async request once, when it completes, times out or fails. */
    private final class AsyncRecorder implements AsyncListener {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final long start;
        private final AtomicBoolean done = new AtomicBoolean();

        AsyncRecorder(HttpServletRequest request, HttpServletResponse response, long start) {
            this.request = request;
            this.response = response;
            this.start = start;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            once(null);
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            once(null);
        }

        @Override
        public void onError(AsyncEvent event) {
            once(event.getThrowable());
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this); // a re-started async cycle still ends in one record
        }

        private void once(Throwable failure) {
            if (done.compareAndSet(false, true)) {
                record(request, response, start, failure);
            }
        }
    }
}
