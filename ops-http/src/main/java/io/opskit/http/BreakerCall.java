package io.opskit.http;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.opskit.core.Redactor;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * One attempt of an {@link OpsHttpClient} call under its target's breaker: permission first,
 * then exactly one of {@link #completed}, {@link #failed} or {@link #abandoned}, each of which
 * tells the breaker and records the timer.
 */
final class BreakerCall {

    private final CircuitBreaker breaker;
    private final IntPredicate failureStatus;
    private final ClientMetrics metrics;
    private final String method;
    private final String uri;
    private final long start = System.nanoTime();

    private BreakerCall(CircuitBreaker breaker, IntPredicate failureStatus, ClientMetrics metrics, String method, String uri) {
        this.breaker = breaker;
        this.failureStatus = failureStatus;
        this.metrics = metrics;
        this.method = method;
        this.uri = uri;
    }

    /**
     * Asks {@code breaker} for permission.
     *
     * @throws HttpCircuitOpenException at once, counted in the timer, when the breaker refuses
     */
    static BreakerCall begin(HttpRequest req, CircuitBreaker breaker, String uriTag, IntPredicate failureStatus,
                             ClientMetrics metrics) throws HttpCircuitOpenException {
        String name = breaker.getName();
        if (!breaker.tryAcquirePermission()) {
            metrics.record(req.method(), uriTag, name, "CIRCUIT_OPEN", "UNKNOWN", HttpCircuitOpenException.class.getSimpleName(), 0);
            CircuitBreaker.Metrics m = breaker.getMetrics();
            throw new HttpCircuitOpenException(name, "circuit breaker '" + name + "' is " + breaker.getState() + ": "
                    + req.method() + " " + Redactor.redact(req.uri().toString()) + " was not sent"
                    + (m.getFailureRate() >= 0 ? String.format(Locale.ROOT, " (failure rate %.1f%% of the last %d calls)",
                    m.getFailureRate(), m.getNumberOfBufferedCalls()) : "")
                    + "; calls fail fast until a trial call after the wait succeeds", null);
        }
        return new BreakerCall(breaker, failureStatus, metrics, req.method(), uriTag);
    }

    /** An answer came: a failure status counts against the target, any other for it. */
    void completed(int status) {
        long nanos = System.nanoTime() - start;
        if (failureStatus.test(status)) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new FailureStatus(status));
        } else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
        metrics.record(method, uri, breaker.getName(), String.valueOf(status), ClientMetrics.outcome(status), "none", nanos);
    }

    /** No answer: an I/O error counts against the target; anything else (a bad request, a cancel) says nothing about it. */
    void failed(Throwable error) {
        long nanos = System.nanoTime() - start;
        boolean io = error instanceof IOException;
        if (io) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, error);
        } else {
            breaker.releasePermission();
        }
        metrics.record(method, uri, breaker.getName(), io ? "IO_ERROR" : "CLIENT_ERROR", "UNKNOWN",
                ClientMetrics.exception(error), nanos);
    }

    /** The caller was interrupted: the permission is given back, nothing is recorded. */
    void abandoned() {
        breaker.releasePermission();
    }

    /** A status the breaker counts as a failure; carries no stack trace. */
    static final class FailureStatus extends Exception {
        private static final long serialVersionUID = 1L;

        FailureStatus(int status) {
            super("HTTP " + status, null, false, false);
        }
    }
}
