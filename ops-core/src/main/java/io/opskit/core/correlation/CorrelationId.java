package io.opskit.core.correlation;

import java.util.Optional;
import org.slf4j.MDC;

/**
 * The correlation ID of the current thread, kept in the slf4j MDC under {@link #DEFAULT_MDC_KEY}
 * so every log line written while handling a request carries it.
 *
 * <pre>{@code
 * try (CorrelationId.Scope s = CorrelationId.open("req-42")) {
 *     log.info("handled");            // MDC correlationId=req-42
 * }                                   // previous value restored
 * }</pre>
 */
public final class CorrelationId {

    /** The MDC key opskit uses by default. */
    public static final String DEFAULT_MDC_KEY = "correlationId";

    private static volatile String mdcKey = DEFAULT_MDC_KEY;

    private CorrelationId() {
    }

    /** The current thread's correlation ID, if any. */
    public static Optional<String> current() {
        return Optional.ofNullable(MDC.get(mdcKey));
    }

    /** The MDC key in use. */
    public static String mdcKey() {
        return mdcKey;
    }

    /**
     * Changes the MDC key opskit writes (e.g. {@code traceId} to match an existing log
     * pattern); must be a non-blank word.
     */
    public static void mdcKey(String key) {
        if (key == null || key.isBlank() || !key.matches("[A-Za-z0-9_.\\-]{1,64}")) {
            throw new IllegalArgumentException("mdcKey must be 1-64 letters, digits, '_', '.', '-', but was '" + key
                    + "': use e.g. 'correlationId'");
        }
        mdcKey = key;
    }

    /**
     * Makes {@code id} the current thread's correlation ID until the returned scope is closed,
     * which restores the previous value (or removes the key).
     */
    public static Scope open(String id) {
        String key = mdcKey;
        String previous = MDC.get(key);
        if (id == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, id);
        }
        return new Scope(key, previous);
    }

    /** Restores the previous correlation ID when closed. Not thread-safe: close on the opening thread. */
    public static final class Scope implements AutoCloseable {
        private final String key;
        private final String previous;

        private Scope(String key, String previous) {
            this.key = key;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, previous);
            }
        }
    }
}
