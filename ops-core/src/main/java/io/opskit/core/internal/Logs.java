package io.opskit.core.internal;

/** What opskit writes into its own log lines: never a raw control character. */
final class Logs {

    private Logs() {
    }

    /** {@code text} with CR, LF and every other control character shown as an escape, so no line can be forged. */
    static String safe(String text) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        int n = text.length();
        while (i < n && !isControl(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder b = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (isControl(c)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029';
    }
}
