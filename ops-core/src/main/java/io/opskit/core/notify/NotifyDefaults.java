package io.opskit.core.notify;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;

/** Validation and defaults shared by the sinks; messages name the field, the value and the fix. */
final class NotifyDefaults {

    private NotifyDefaults() {
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    static URI httpUri(String field, URI value, String example) {
        if (value == null || value.getScheme() == null || value.getHost() == null
                || !(value.getScheme().equalsIgnoreCase("http") || value.getScheme().equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException(field + " must be an absolute http(s) URL, but was '"
                    + (value == null ? null : io.opskit.core.Redactor.redact(value.toString())) + "': use e.g. " + example);
        }
        return value;
    }

    static Duration positive(String field, Duration value, String example) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be positive, but was " + value + ": use e.g. " + example);
        }
        return value;
    }

    static int atLeast(String field, int value, int min, String example) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", but was " + value + ": use e.g. " + example);
        }
        return value;
    }

    static String notBlank(String field, String value, String example) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, but was '" + value + "': use e.g. " + example);
        }
        return value;
    }
}
