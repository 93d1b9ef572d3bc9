package io.opskit.core.correlation;

import java.util.Optional;

/**
 * Reads the trace-id of a W3C Trace Context {@code traceparent} header
 * ({@code version-traceid-parentid-flags}, e.g.
 * {@code 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}), so a request that arrives
 * with a trace keeps the trace's ID as its correlation ID.
 */
public final class Traceparent {

    private static final int VERSION_00_LENGTH = 55;

    private Traceparent() {
    }

    /**
     * The 32-hex-character trace-id of a valid {@code traceparent}; empty when the value is
     * malformed, uses the forbidden version {@code ff}, or carries an all-zero trace-id or
     * parent-id. Versions above {@code 00} are accepted when their first four fields are valid
     * (forward compatibility, as the specification asks).
     */
    public static Optional<String> traceId(String traceparent) {
        if (traceparent == null) {
            return Optional.empty();
        }
        String value = traceparent.strip();
        int length = value.length();
        if (length < VERSION_00_LENGTH || value.charAt(2) != '-' || value.charAt(35) != '-' || value.charAt(52) != '-') {
            return Optional.empty();
        }
        if (!isLowerHex(value, 0, 2) || value.startsWith("ff")) {
            return Optional.empty();
        }
        boolean version00 = value.startsWith("00");
        if (version00 ? length != VERSION_00_LENGTH : length > VERSION_00_LENGTH && value.charAt(VERSION_00_LENGTH) != '-') {
            return Optional.empty();
        }
        if (!isLowerHex(value, 3, 35) || isAllZero(value, 3, 35)
                || !isLowerHex(value, 36, 52) || isAllZero(value, 36, 52)
                || !isLowerHex(value, 53, 55)) {
            return Optional.empty();
        }
        return Optional.of(value.substring(3, 35));
    }

    private static boolean isLowerHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAllZero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
