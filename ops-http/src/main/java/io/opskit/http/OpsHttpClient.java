package io.opskit.http;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.opskit.core.breaker.Breakers;
import io.opskit.core.correlation.CorrelationId;
import java.io.Closeable;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntPredicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A {@link HttpClient} that wraps another and, on every call:
 * <ul>
 *   <li>adds the current correlation ID ({@link CorrelationId#current()}) as {@code X-Correlation-ID},
 *       unless the request carries that header already;</li>
 *   <li>runs the call through the circuit breaker of its target ({@code host}, or {@code host:port}
 *       for a non-default port) from a {@link Breakers}; while it is open the call is not sent
 *       and fails at once with {@link HttpCircuitOpenException}. An I/O error and a status the
 *       failure predicate accepts (default: 5xx) count as failures;</li>
 *   <li>records the {@code http.client.requests} timer (tags {@code method}, {@code uri} (bounded),
 *       {@code client.name}, {@code status}, {@code outcome}, {@code exception});</li>
 *   <li>optionally retries idempotent methods (GET, HEAD, OPTIONS, PUT, DELETE, TRACE) after an
 *       I/O error or a 502/503/504, with exponential backoff and jitter (resilience4j-retry);
 *       a call refused by an open breaker is never retried.</li>
 * </ul>
 *
 * <pre>{@code
 * HttpClient http = OpsHttpClient.builder(HttpClient.newHttpClient())
 *         .breakers(breakers).meterRegistry(registry)
 *         .retry(3, Duration.ofMillis(100))
 *         .build();
 * }</pre>
 *
 * <p>Share the {@link Breakers}' registry with an attached {@code BreakerHealth} so every target
 * shows up as a {@code host:circuitBreaker} check. On JDK 21 and later {@link #close()},
 * {@link #shutdown()} and friends act on the wrapped client; on JDK 17 they do nothing.
 */
public final class OpsHttpClient extends HttpClient implements AutoCloseable {

    /** The header the correlation ID is sent in by default. */
    public static final String DEFAULT_CORRELATION_HEADER = "X-Correlation-ID";
    /** The timer's name. */
    public static final String METRIC_NAME = ClientMetrics.NAME;
    /** Default cap of distinct {@code uri} tag values; later ones are {@code OTHER}. */
    public static final int DEFAULT_MAX_URI_TAGS = 100;

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
    private static final Set<Integer> RETRY_STATUSES = Set.of(502, 503, 504);

    private final HttpClient delegate;
    private final Breakers breakers;
    private final String correlationHeader;
    private final Function<HttpRequest, String> breakerName;
    private final UriTags uriTags;
    private final IntPredicate failureStatus;
    private final ClientMetrics metrics;
    private final Retry retry;

    private OpsHttpClient(Builder b) {
        this.delegate = b.delegate;
        this.breakers = b.breakers == null ? Breakers.ofDefaults() : b.breakers;
        this.correlationHeader = b.correlationHeader;
        this.breakerName = b.breakerName;
        this.uriTags = new UriTags(b.uriTag, b.maxUriTags);
        this.failureStatus = b.failureStatus;
        this.metrics = new ClientMetrics(b.meterRegistry, b.percentiles);
        this.retry = b.retryConfig == null ? null : Retry.of("opskit-http-client", b.retryConfig);
    }

    /** Starts decorating {@code delegate}. */
    public static Builder builder(HttpClient delegate) {
        return new Builder(delegate);
    }

    /** The breakers the calls run through. */
    public Breakers breakers() {
        return breakers;
    }

    /** The name of the breaker a request runs through, e.g. {@code api.example.com} or {@code localhost:8080}. */
    public String breakerNameOf(HttpRequest request) {
        return breakerName.apply(request);
    }

    @Override
    public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        HttpRequest req = withCorrelationId(request);
        if (retry == null || !IDEMPOTENT.contains(req.method())) {
            return attempt(req, handler);
        }
        Retry.AsyncContext<HttpResponse<?>> context = retry.asyncContext();
        while (true) {
            HttpResponse<T> response;
            try {
                response = attempt(req, handler);
            } catch (HttpCircuitOpenException e) {
                throw e;
            } catch (IOException e) {
                long wait = context.onError(e);
                if (wait < 0) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(wait);
                continue;
            }
            long wait = context.onResult(response);
            if (wait < 0) {
                context.onComplete();
                return response;
            }
            discard(response);
            TimeUnit.MILLISECONDS.sleep(wait);
        }
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        return sendAsync(request, handler, null);
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
                                                            HttpResponse.PushPromiseHandler<T> pushHandler) {
        HttpRequest req = withCorrelationId(request);   // on the caller's thread, where the ID is current
        if (retry == null || !IDEMPOTENT.contains(req.method())) {
            return attemptAsync(req, handler, pushHandler);
        }
        CompletableFuture<HttpResponse<T>> result = new CompletableFuture<>();
        retryAsync(req, handler, pushHandler, retry.asyncContext(), result);
        return result;
    }

    private <T> void retryAsync(HttpRequest req, HttpResponse.BodyHandler<T> handler, HttpResponse.PushPromiseHandler<T> push,
                                Retry.AsyncContext<HttpResponse<?>> context, CompletableFuture<HttpResponse<T>> result) {
        attemptAsync(req, handler, push).whenComplete((response, error) -> {
            if (error != null) {
                Throwable cause = unwrap(error);
                long wait = cause instanceof IOException && !(cause instanceof HttpCircuitOpenException) ? context.onError(cause) : -1;
                if (wait < 0) {
                    result.completeExceptionally(cause);
                } else {
                    later(wait, () -> retryAsync(req, handler, push, context, result));
                }
                return;
            }
            long wait = context.onResult(response);
            if (wait < 0) {
                context.onComplete();
                result.complete(response);
            } else {
                discard(response);
                later(wait, () -> retryAsync(req, handler, push, context, result));
            }
        });
    }

    private <T> HttpResponse<T> attempt(HttpRequest req, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        BreakerCall call = begin(req);
        try {
            HttpResponse<T> response = delegate.send(req, handler);
            call.completed(response.statusCode());
            return response;
        } catch (IOException | RuntimeException e) {
            call.failed(e);
            throw e;
        } catch (InterruptedException e) {
            call.abandoned();
            throw e;
        }
    }

    private <T> CompletableFuture<HttpResponse<T>> attemptAsync(HttpRequest req, HttpResponse.BodyHandler<T> handler,
                                                                HttpResponse.PushPromiseHandler<T> push) {
        BreakerCall call;
        try {
            call = begin(req);
        } catch (HttpCircuitOpenException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<HttpResponse<T>> sent;
        try {
            sent = push == null ? delegate.sendAsync(req, handler) : delegate.sendAsync(req, handler, push);
        } catch (RuntimeException e) {
            call.failed(e);     // e.g. a request the client refuses: give the permission back
            throw e;
        }
        return sent.whenComplete((response, error) -> {
            if (error == null) {
                call.completed(response.statusCode());
            } else {
                call.failed(unwrap(error));
            }
        });
    }

    /** Asks the breaker for permission; refused → the call is counted and an exception thrown. */
    private BreakerCall begin(HttpRequest req) throws HttpCircuitOpenException {
        return BreakerCall.begin(req, breakers.breaker(breakerName.apply(req)), uriTags.tag(req), failureStatus, metrics);
    }

    private HttpRequest withCorrelationId(HttpRequest request) {
        if (correlationHeader.isEmpty() || request.headers().firstValue(correlationHeader).isPresent()) {
            return request;
        }
        Optional<String> id = CorrelationId.current();
        if (id.isEmpty() || !CorrelationId.isValid(id.get())) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true).header(correlationHeader, id.get()).build();
    }

    private static void discard(HttpResponse<?> response) {
        Object body = response.body();
        if (body instanceof Closeable) {
            try {
                ((Closeable) body).close();
            } catch (IOException ignored) {
                // a body we throw away before retrying
            }
        }
    }

    private static void later(long millis, Runnable task) {
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(task);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    static String defaultBreakerName(HttpRequest request) {
        URI uri = request.uri();
        String host = uri.getHost() == null ? "unknown" : uri.getHost();
        int port = uri.getPort();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        if (port < 0 || port == (https ? 443 : 80)) {
            return host;
        }
        return host + ":" + port;
    }

    // ---------------------------------------------------------------- delegation

    @Override
    public Optional<CookieHandler> cookieHandler() {
        return delegate.cookieHandler();
    }

    @Override
    public Optional<Duration> connectTimeout() {
        return delegate.connectTimeout();
    }

    @Override
    public Redirect followRedirects() {
        return delegate.followRedirects();
    }

    @Override
    public Optional<ProxySelector> proxy() {
        return delegate.proxy();
    }

    @Override
    public SSLContext sslContext() {
        return delegate.sslContext();
    }

    @Override
    public SSLParameters sslParameters() {
        return delegate.sslParameters();
    }

    @Override
    public Optional<Authenticator> authenticator() {
        return delegate.authenticator();
    }

    @Override
    public Version version() {
        return delegate.version();
    }

    @Override
    public Optional<Executor> executor() {
        return delegate.executor();
    }

    @Override
    public java.net.http.WebSocket.Builder newWebSocketBuilder() {
        return delegate.newWebSocketBuilder();
    }

    /** Closes the wrapped client where the JDK can (21 and later); nothing on JDK 17. */
    @Override
    public void close() {
        if (delegate instanceof AutoCloseable) {
            try {
                ((AutoCloseable) delegate).close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the wrapped HttpClient failed: " + e.getMessage(), e);
            }
        }
    }

    // The JDK 21+ lifecycle of HttpClient, delegated when the running JDK has it. Compiled for 17
    // these are plain methods; on 21 and later they override HttpClient's, so a caller of the
    // decorator shuts the wrapped client down, not a shell around it.

    /** Starts an orderly shutdown of the wrapped client (JDK 21+; nothing on 17). */
    public void shutdown() {
        HttpClientLifecycle.invoke(HttpClientLifecycle.SHUTDOWN, delegate);
    }

    /** Shuts the wrapped client down at once (JDK 21+; nothing on 17). */
    public void shutdownNow() {
        HttpClientLifecycle.invoke(HttpClientLifecycle.SHUTDOWN_NOW, delegate);
    }

    /** Whether the wrapped client has terminated (JDK 21+; always false on 17). */
    public boolean isTerminated() {
        Object r = HttpClientLifecycle.invoke(HttpClientLifecycle.IS_TERMINATED, delegate);
        return Boolean.TRUE.equals(r);
    }

    /** Waits for the wrapped client to terminate (JDK 21+; returns false at once on 17). */
    public boolean awaitTermination(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        if (HttpClientLifecycle.AWAIT_TERMINATION == null) {
            return false;
        }
        try {
            return (boolean) HttpClientLifecycle.AWAIT_TERMINATION.invoke(delegate, duration);
        } catch (InterruptedException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public String toString() {
        return "OpsHttpClient{" + delegate + '}';
    }

    /** Options of an {@link OpsHttpClient}; every setter validates. */
    public static final class Builder {
        private final HttpClient delegate;
        private Breakers breakers;
        private MeterRegistry meterRegistry = new CompositeMeterRegistry();
        private String correlationHeader = DEFAULT_CORRELATION_HEADER;
        private Function<HttpRequest, String> breakerName = OpsHttpClient::defaultBreakerName;
        private Function<HttpRequest, String> uriTag = UriTags::template;
        private int maxUriTags = DEFAULT_MAX_URI_TAGS;
        private IntPredicate failureStatus = status -> status >= 500;
        private double[] percentiles = {0.95, 0.99};
        private RetryConfig retryConfig;

        private Builder(HttpClient delegate) {
            this.delegate = Objects.requireNonNull(delegate, "delegate must not be null: use HttpClient.newHttpClient()");
            if (delegate instanceof OpsHttpClient) {
                throw new IllegalArgumentException("delegate is already an OpsHttpClient: wrap the plain HttpClient once");
            }
        }

        /** The breakers to run calls through (default: a registry of its own with the opskit defaults). */
        public Builder breakers(Breakers value) {
            this.breakers = Objects.requireNonNull(value, "breakers must not be null: use Breakers.of(registry)");
            return this;
        }

        /** Where {@code http.client.requests} is recorded (default: nowhere). */
        public Builder meterRegistry(MeterRegistry value) {
            this.meterRegistry = Objects.requireNonNull(value, "meterRegistry must not be null");
            return this;
        }

        /** The header carrying the correlation ID (default {@code X-Correlation-ID}); empty to send none. */
        public Builder correlationHeader(String value) {
            if (value == null || !value.isEmpty() && !value.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new IllegalArgumentException("correlationHeader must be a header name (or empty for none), but was '"
                        + value + "': use e.g. 'X-Correlation-ID'");
            }
            this.correlationHeader = value;
            return this;
        }

        /** Which breaker a request runs through (default: its host, plus the port when not the scheme's default). */
        public Builder breakerName(Function<HttpRequest, String> value) {
            this.breakerName = Objects.requireNonNull(value, "breakerName must not be null");
            return this;
        }

        /**
         * The {@code uri} tag of a request (default: the path with ID-like segments as {@code {id}});
         * whatever it returns, at most {@code maxUriTags} distinct values are used.
         */
        public Builder uriTag(Function<HttpRequest, String> value) {
            this.uriTag = Objects.requireNonNull(value, "uriTag must not be null");
            return this;
        }

        /** Cap of distinct {@code uri} tag values, 1 to 10,000 (default 100). */
        public Builder maxUriTags(int value) {
            if (value < 1 || value > 10_000) {
                throw new IllegalArgumentException("maxUriTags must be between 1 and 10000, but was " + value + ": use e.g. 100");
            }
            this.maxUriTags = value;
            return this;
        }

        /** Which statuses count as a failure of the target for its breaker (default: 500 and above). */
        public Builder failureStatus(IntPredicate value) {
            this.failureStatus = Objects.requireNonNull(value, "failureStatus must not be null: use s -> s >= 500");
            return this;
        }

        /** Client-side percentiles published with the timer (default 0.95 and 0.99); none for an empty call. */
        public Builder percentiles(double... values) {
            for (double p : values) {
                if (!(p > 0 && p < 1)) {
                    throw new IllegalArgumentException("percentiles must be between 0 and 1 (exclusive), but was " + p
                            + ": use e.g. 0.95");
                }
            }
            this.percentiles = values.clone();
            return this;
        }

        /**
         * Retries idempotent requests after an I/O error or a 502/503/504, up to {@code maxAttempts}
         * attempts in all, waiting {@code initialBackoff}, then twice as long each time (with 50%
         * jitter, at most 10 times the initial wait).
         */
        public Builder retry(int maxAttempts, Duration initialBackoff) {
            if (maxAttempts < 2 || maxAttempts > 10) {
                throw new IllegalArgumentException("maxAttempts must be between 2 and 10, but was " + maxAttempts
                        + ": use e.g. 3 (one call and two retries)");
            }
            CertificateExpiry.positive("initialBackoff", initialBackoff, "Duration.ofMillis(100)");
            return retry(RetryConfig.<HttpResponse<?>>custom()
                    .maxAttempts(maxAttempts)
                    .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(initialBackoff, 2.0, 0.5,
                            initialBackoff.multipliedBy(10)))
                    .retryOnException(e -> e instanceof IOException && !(e instanceof HttpCircuitOpenException))
                    .retryOnResult(r -> RETRY_STATUSES.contains(r.statusCode()))
                    .build());
        }

        /**
         * Retries idempotent requests as {@code config} says (its result predicate sees the
         * {@code HttpResponse}); a call refused by an open breaker is never retried.
         */
        public Builder retry(RetryConfig config) {
            this.retryConfig = Objects.requireNonNull(config, "retry config must not be null");
            return this;
        }

        /** Builds the client. */
        public OpsHttpClient build() {
            return new OpsHttpClient(this);
        }
    }
}
