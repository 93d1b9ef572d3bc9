package io.opskit.jdbc;

import java.time.Duration;
import java.util.Objects;

/** Builder validation whose messages name the field, the bad value and the fix. */
final class Require {

    private Require() {
    }

    static Duration positive(String field, Duration value, String example) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be positive, but was " + value + ": use e.g. " + example);
        }
        return value;
    }

    static double ratio(String field, double value, String example) {
        if (!(value > 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(field + " must be a ratio above 0 and at most 1, but was " + value
                    + ": use e.g. " + example);
        }
        return value;
    }

    static int atLeast(String field, int value, int min, String example) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", but was " + value + ": use e.g. " + example);
        }
        return value;
    }

    static String name(String field, String value, String example) {
        if (value == null || !io.opskit.core.CheckRegistration.isValidName(value)) {
            throw new IllegalArgumentException(field + " must be of the form 'component:measurement', but was '" + value
                    + "': use e.g. '" + example + "'");
        }
        return value;
    }

    static <T> T notNull(String field, T value) {
        return Objects.requireNonNull(value, field + " must not be null");
    }

    /** Whole seconds for JDBC timeouts, rounded up and at least 1 ({@code 0} would mean "no timeout"). */
    static int jdbcSeconds(Duration timeout) {
        long ms = timeout.toMillis();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (ms + 999) / 1000));
    }
}
