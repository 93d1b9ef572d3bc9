package io.opskit.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Records {@code http.client.requests} with bounded tags. */
final class ClientMetrics {

    static final String NAME = "http.client.requests";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

    private final MeterRegistry registry;
    private final double[] percentiles;

    ClientMetrics(MeterRegistry registry, double[] percentiles) {
        this.registry = registry;
        this.percentiles = percentiles.clone();
    }

    void record(String method, String uri, String clientName, String status, String outcome, String exception, long nanos) {
        Timer.builder(NAME)
                .description("Outbound HTTP requests made through OpsHttpClient")
                .tag("method", METHODS.contains(method) ? method : "OTHER")
                .tag("uri", uri)
                .tag("client.name", clientName)
                .tag("status", status)
                .tag("outcome", outcome)
                .tag("exception", exception)
                .publishPercentiles(percentiles)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    static String outcome(int status) {
        if (status < 200) {
            return "INFORMATIONAL";
        }
        if (status < 300) {
            return "SUCCESS";
        }
        if (status < 400) {
            return "REDIRECTION";
        }
        if (status < 500) {
            return "CLIENT_ERROR";
        }
        return status < 600 ? "SERVER_ERROR" : "UNKNOWN";
    }

    static String exception(Throwable t) {
        String name = t.getClass().getSimpleName();
        return name.isEmpty() ? t.getClass().getName().toLowerCase(Locale.ROOT) : name;
    }
}
