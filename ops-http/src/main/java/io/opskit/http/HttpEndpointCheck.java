package io.opskit.http;

import io.opskit.core.HealthCheck;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import javax.net.ssl.SSLException;

/**
 * The runbook's {@code curl -I https://api…/health} as a check: one GET or HEAD under a connect
 * timeout and a request timeout (which bounds the whole exchange, body included), PASS when the
 * status is in the expected range (default 200–299) and the optional body predicate holds; the
 * observed value is the response time in ms. A response slower than {@code slowThreshold} is
 * WARN. Redirects are followed only when asked.
 *
 * <pre>{@code
 * HealthCheck api = HttpEndpointCheck.builder("https://api.example.com/health")
 *         .method(HttpEndpointCheck.Method.HEAD)
 *         .requestTimeout(Duration.ofSeconds(2))
 *         .build();
 * }</pre>
 *
 * <p>Credentials in the URL ({@code https://user:secret@host/}) are sent as HTTP Basic
 * authentication, never as part of the request line, and are masked in every output, detail and
 * {@code toString()}.
 */
public final class HttpEndpointCheck implements HealthCheck {

    /** Default connect timeout: 2 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Default bound of the whole request: 2 seconds. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(2);
    /** Default bytes of a body read for the body predicate: 64 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 64 * 1024;

    /** The request methods a check may use: neither changes anything. */
    public enum Method {
        /** Fetches the response, body included (needed for a body predicate). */
        GET,
        /** Fetches the status and headers only. */
        HEAD
    }

    private final URI uri;
    private final String shownUrl;
    private final Method method;
    private final Duration requestTimeout;
    private final int minStatus;
    private final int maxStatus;
    private final Predicate<String> bodyPredicate;
    private final String bodyDescription;
    private final int maxBodyBytes;
    private final Duration slowThreshold;
    private final boolean followRedirects;
    private final HttpClient client;
    private final HttpRequest request;

    private HttpEndpointCheck(Builder b) {
        this.shownUrl = Redactor.redact(b.uri.toString());
        this.uri = withoutUserInfo(b.uri);
        this.method = b.method;
        this.requestTimeout = b.requestTimeout;
        this.minStatus = b.minStatus;
        this.maxStatus = b.maxStatus;
        this.bodyPredicate = b.bodyPredicate;
        this.bodyDescription = b.bodyDescription;
        this.maxBodyBytes = b.maxBodyBytes;
        this.slowThreshold = b.slowThreshold;
        this.followRedirects = b.followRedirects;
        HttpClient.Builder cb = HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(b.followRedirects ? HttpClient.Redirect.NORMAL : HttpClient.Redirect.NEVER);
        if (b.trust != null) {
            cb.sslContext(b.trust.sslContext());
        }
        this.client = cb.build();
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(b.requestTimeout)
                .method(b.method.name(), HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", "opskit-health-check");
        String userInfo = b.uri.getUserInfo();     // percent-decoded, as curl does
        if (userInfo != null && !userInfo.isEmpty()) {
            rb.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8)));
        }
        b.headers.forEach(rb::header);
        this.request = rb.build();
    }

    /**
     * Starts a check of {@code url}.
     *
     * @throws IllegalArgumentException if it is not an absolute http or https URL
     */
    public static Builder builder(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("url must not be blank, but was '" + url + "': use e.g. 'https://api.example.com/health'");
        }
        try {
            return builder(new URI(url));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url must be a valid URL, but was '" + Redactor.redact(url) + "' ("
                    + Redactor.redact(e.getReason()) + "): use e.g. 'https://api.example.com/health'", e);
        }
    }

    /** Starts a check of {@code uri}; see {@link #builder(String)}. */
    public static Builder builder(URI uri) {
        return new Builder(uri);
    }

    @Override
    public Result check() throws InterruptedException {
        long start = System.nanoTime();
        HttpResponse.BodyHandler<String> handler = method == Method.GET && bodyPredicate != null
                ? LimitedBody.handler(maxBodyBytes)
                : HttpResponse.BodyHandlers.replacing("");
        CompletableFuture<HttpResponse<String>> future = client.sendAsync(request, handler);
        HttpResponse<String> response;
        try {
            response = future.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return failed("no complete response within " + millis(requestTimeout) + " ms", start);
        } catch (InterruptedException e) {
            future.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            return failed(describe(e.getCause()), start);
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        int status = response.statusCode();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("url", shownUrl);
        details.put("method", method.name());
        details.put("status", status);
        details.put("expectedStatus", minStatus + "-" + maxStatus);
        if (followRedirects && !response.uri().equals(uri)) {
            details.put("finalUrl", Redactor.redact(response.uri().toString()));
        }
        String head = method + " " + shownUrl + " -> " + status + " in " + elapsedMs + " ms";
        Result result;
        if (status < minStatus || status > maxStatus) {
            result = Result.fail(head + ", expected " + minStatus + "-" + maxStatus
                    + (status >= 300 && status < 400 && !followRedirects ? " (redirects are not followed: use followRedirects(true))" : ""));
        } else if (bodyPredicate != null && method == Method.GET && !bodyPredicate.test(response.body())) {
            result = Result.fail(head + ", but the body did not match: " + bodyDescription);
        } else if (slowThreshold != null && elapsedMs > slowThreshold.toMillis()) {
            result = Result.warn(head + ", slower than " + millis(slowThreshold) + " ms");
        } else {
            result = Result.of(Status.PASS, head);
        }
        return result.withDetails(details).withObservedValue(elapsedMs, "ms");
    }

    private Result failed(String why, long start) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        return Result.fail(method + " " + shownUrl + " failed after " + elapsedMs + " ms: " + why)
                .withDetail("url", shownUrl).withDetail("method", method.name())
                .withObservedValue(elapsedMs, "ms");
    }

    private String describe(Throwable e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "could not connect within the connect timeout (" + e.getMessage() + ")";
        }
        if (e instanceof HttpTimeoutException) {
            return "no response within " + millis(requestTimeout) + " ms";
        }
        if (e instanceof ConnectException) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return "connection refused or unreachable (" + Result.describe(cause) + ")";
        }
        if (e instanceof SSLException) {
            return "TLS handshake failed (" + Result.describe(e) + ")";
        }
        if (e instanceof IOException) {
            return "I/O error (" + Result.describe(e) + ")";
        }
        return Result.describe(e);
    }

    private static long millis(Duration d) {
        return d.toMillis();
    }

    /** The same URL without {@code user:pass@}, keeping the raw (still encoded) path and query. */
    private static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        String rebuilt = uri.getScheme() + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : "")
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return URI.create(rebuilt);
    }

    @Override
    public String toString() {
        return "HttpEndpointCheck{" + method + " " + shownUrl + '}';
    }

    /** Options of an {@link HttpEndpointCheck}; every setter validates. */
    public static final class Builder {
        private final URI uri;
        private Method method = Method.GET;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int minStatus = 200;
        private int maxStatus = 299;
        private Predicate<String> bodyPredicate;
        private String bodyDescription = "";
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private Duration slowThreshold;
        private boolean followRedirects;
        private TrustedCertificates trust;
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder(URI uri) {
            Objects.requireNonNull(uri, "url must not be null: use e.g. URI.create(\"https://api.example.com/health\")");
            String scheme = uri.getScheme();
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException("url must be an absolute http or https URL with a host, but was '"
                        + Redactor.redact(uri.toString()) + "': use e.g. 'https://api.example.com/health'");
            }
            this.uri = uri;
        }

        /** GET (default) or HEAD. */
        public Builder method(Method value) {
            this.method = Objects.requireNonNull(value, "method must not be null: use Method.GET or Method.HEAD");
            return this;
        }

        /** Bound of the TCP (and TLS) connect (default 2 s). */
        public Builder connectTimeout(Duration value) {
            this.connectTimeout = CertificateExpiry.positive("connectTimeout", value, "Duration.ofSeconds(2)");
            return this;
        }

        /** Bound of the whole exchange, body included (default 2 s); keep it below the registration's timeout. */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = CertificateExpiry.positive("requestTimeout", value, "Duration.ofSeconds(2)");
            return this;
        }

        /** The healthy status range, inclusive (default 200–299). */
        public Builder expectStatus(int from, int to) {
            if (from < 100 || to > 599 || from > to) {
                throw new IllegalArgumentException("expectStatus must be a range within 100-599, but was " + from + "-" + to
                        + ": use e.g. expectStatus(200, 299)");
            }
            this.minStatus = from;
            this.maxStatus = to;
            return this;
        }

        /**
         * A condition on the body (GET only; the first {@code maxBodyBytes} bytes as UTF-8).
         *
         * @param description what it expects, shown when it does not hold, e.g. {@code "contains \"UP\""}
         */
        public Builder body(Predicate<String> predicate, String description) {
            this.bodyPredicate = Objects.requireNonNull(predicate, "body predicate must not be null");
            if (description == null || description.isBlank()) {
                throw new IllegalArgumentException("body description must not be blank, but was '" + description
                        + "': say what the body must hold, e.g. 'contains \"UP\"'");
            }
            this.bodyDescription = description;
            return this;
        }

        /** How many bytes of the body the predicate sees at most (default 64 KiB). */
        public Builder maxBodyBytes(int value) {
            if (value < 1 || value > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be between 1 and 16 MiB, but was " + value
                        + ": use e.g. 65536");
            }
            this.maxBodyBytes = value;
            return this;
        }

        /** A response slower than this is WARN (default: no such threshold). */
        public Builder slowThreshold(Duration value) {
            this.slowThreshold = CertificateExpiry.positive("slowThreshold", value, "Duration.ofMillis(500)");
            return this;
        }

        /** Whether redirects are followed (default false: a redirect is judged by its own status). */
        public Builder followRedirects(boolean value) {
            this.followRedirects = value;
            return this;
        }

        /** The authorities to trust for https (default: the JDK's). */
        public Builder trust(TrustedCertificates value) {
            this.trust = Objects.requireNonNull(value, "trust must not be null: use TrustedCertificates.jdkDefaults()");
            return this;
        }

        /** A request header, e.g. an API key (its value never appears in an output). */
        public Builder header(String name, String value) {
            if (name == null || name.isBlank() || value == null) {
                throw new IllegalArgumentException("header needs a name and a value, but was '" + name + "': use e.g. header(\"Accept\", \"application/json\")");
            }
            headers.put(name, value);
            return this;
        }

        /**
         * Builds the check (and its HTTP client, reused by every run).
         *
         * @throws IllegalArgumentException if a body predicate is combined with HEAD
         */
        public HttpEndpointCheck build() {
            if (bodyPredicate != null && method == Method.HEAD) {
                throw new IllegalArgumentException("body predicate needs a body, but method was HEAD: use Method.GET");
            }
            return new HttpEndpointCheck(this);
        }
    }
}
