package io.opskit.http;

import java.io.IOException;

/**
 * An outbound call that {@link OpsHttpClient} refused without sending, because the circuit
 * breaker of its target is open: the dependency failed recently and is given time to recover.
 * It is an {@link IOException}, as any failure of {@code HttpClient.send}, so existing error
 * handling keeps working; catch it to fall back (a cached answer, another provider) at once.
 */
public final class HttpCircuitOpenException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String breakerName;

    HttpCircuitOpenException(String breakerName, String message, Throwable cause) {
        super(message, cause);
        this.breakerName = breakerName;
    }

    /** The name of the open breaker (the target, e.g. {@code api.example.com} or {@code localhost:8080}). */
    public String breakerName() {
        return breakerName;
    }
}
