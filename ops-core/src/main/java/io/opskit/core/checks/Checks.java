package io.opskit.core.checks;

import io.opskit.core.CheckRegistration;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Validation and formatting shared by the built-in checks; package-private on purpose. */
final class Checks {

    private Checks() {
    }

    /** Rejects a percentage outside (0, 100] with a message naming the field, the value and the fix. */
    static double percent(String field, double value, String example) {
        if (Double.isNaN(value) || value <= 0 || value > 100) {
            throw new IllegalArgumentException(field + " must be a percentage greater than 0 and at most 100, but was "
                    + value + ": use e.g. " + example);
        }
        return value;
    }

    /** Rejects a percentage outside [0, 100] (zero allowed: "never"). */
    static double percentOrZero(String field, double value, String example) {
        if (Double.isNaN(value) || value < 0 || value > 100) {
            throw new IllegalArgumentException(field + " must be a percentage from 0 to 100, but was "
                    + value + ": use e.g. " + example);
        }
        return value;
    }

    /** Rejects a zero, negative or null duration. */
    static Duration positive(String field, Duration value, String example) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(field + " must be a positive duration, but was " + value + ": use e.g. " + example);
        }
        return value;
    }

    /** Rejects a blank name or one not of the form {@code component:measurement}. */
    static String checkName(String name) {
        if (!CheckRegistration.isValidName(name)) {
            throw new IllegalArgumentException("name must be of the form 'component:measurement', but was '" + name
                    + "': use e.g. 'disk:data' or 'cpu:load'");
        }
        return name;
    }

    /**
     * The component part of a check name made from a meter name: characters a check name does
     * not allow become {@code _}, at most 63 characters.
     */
    static String componentOf(String meterName) {
        String c = meterName.replaceAll("[^A-Za-z0-9._\\-]", "_");
        if (!Character.isLetterOrDigit(c.charAt(0))) {
            c = "m" + c;
        }
        return c.length() > 63 ? c.substring(0, 63) : c;
    }

    /** A percentage with up to two decimals, e.g. {@code 12.34}, for an observed value. */
    static double round2(double value) {
        return Math.round(value * 100.0) / 100.0;
    }

    /** A number for a human output: {@code 80}, {@code 12.5}, {@code 0.25}. */
    static String num(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        String s = String.format(Locale.ROOT, "%.2f", value);
        return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
    }

    /** Bytes for a human output: {@code 512 B}, {@code 1.5 GiB}. */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /** A duration for a human output: {@code 5m}, {@code 1m30s}, {@code 0s}. */
    static String duration(Duration d) {
        Duration s = d.truncatedTo(ChronoUnit.SECONDS);
        if (s.isZero()) {
            return d.toMillis() + "ms";
        }
        return s.toString().substring(2).toLowerCase(Locale.ROOT);
    }
}
