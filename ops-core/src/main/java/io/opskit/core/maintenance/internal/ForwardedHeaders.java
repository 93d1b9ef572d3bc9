package io.opskit.core.maintenance.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits {@code X-Forwarded-For} and RFC 7239 {@code Forwarded} headers into the list of
 * client hops, left (original client) to right (nearest proxy). Bounded: at most
 * {@link #MAX_HOPS} hops are kept (the right-most ones, which are the ones that matter).
 */
public final class ForwardedHeaders {

    /** Hops considered at most. */
    public static final int MAX_HOPS = 32;

    private ForwardedHeaders() {
    }

    /** The hops of one or more {@code X-Forwarded-For} header lines. */
    public static List<String> xForwardedFor(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            for (String part : line.split(",", -1)) {
                hops.add(stripPort(part.strip()));
            }
        }
        return last(hops);
    }

    /** The {@code for=} values of one or more {@code Forwarded} header lines ("unknown" or obfuscated ones kept as-is). */
    public static List<String> forwarded(List<String> lines) {
        List<String> hops = new ArrayList<>();
        for (String line : lines) {
            for (String element : splitOutsideQuotes(line, ',')) {
                String value = "";
                for (String pair : splitOutsideQuotes(element, ';')) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("for")) {
                        value = unquote(pair.substring(eq + 1).strip());
                    }
                }
                hops.add(stripPort(value));
            }
        }
        return last(hops);
    }

    private static List<String> last(List<String> hops) {
        return hops.size() <= MAX_HOPS ? hops : new ArrayList<>(hops.subList(hops.size() - MAX_HOPS, hops.size()));
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.charAt(0) == '"' && s.charAt(s.length() - 1) == '"') {
            return s.substring(1, s.length() - 1).replace("\\\"", "\"");
        }
        return s;
    }

    /** {@code [v6]:port} → {@code v6}; {@code a.b.c.d:port} → {@code a.b.c.d}; anything else unchanged. */
    private static String stripPort(String s) {
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            return close > 0 ? s.substring(1, close) : s;
        }
        int colon = s.indexOf(':');
        if (colon > 0 && colon == s.lastIndexOf(':') && s.indexOf('.') > 0) {
            return s.substring(0, colon);
        }
        return s;
    }

    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(s.substring(start, i).strip());
                start = i + 1;
            }
        }
        parts.add(s.substring(start).strip());
        return parts;
    }
}
