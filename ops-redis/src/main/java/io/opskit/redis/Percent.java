package io.opskit.redis;

import java.util.Locale;

/** Formats and rounds percentages the same way in every output. */
final class Percent {

    private Percent() {
    }

    static String format(double percent) {
        return String.format(Locale.ROOT, "%.1f%%", percent);
    }

    static double round(double percent) {
        return Math.round(percent * 10.0) / 10.0;
    }

    static String bytes(double bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30));
        }
        if (bytes >= 1L << 20) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1L << 20));
        }
        if (bytes >= 1L << 10) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / (1L << 10));
        }
        return String.format(Locale.ROOT, "%.0f B", bytes);
    }
}
