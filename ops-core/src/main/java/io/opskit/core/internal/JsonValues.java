package io.opskit.core.internal;

import io.opskit.core.Redactor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns whatever a check puts into a result into a value every view can render: strings,
 * numbers, booleans, and lists and maps of them, copied (so a mutable list changed later cannot
 * change a published result), at most {@value #MAX_DEPTH} levels deep and
 * {@value #MAX_ENTRIES} entries wide. Anything else becomes its redacted string; a value whose
 * {@code toString()} throws becomes its class name. Strings are capped like outputs.
 */
public final class JsonValues {

    /** The longest output or string value kept, in characters. */
    public static final int MAX_TEXT = 2048;
    static final int MAX_DEPTH = 4;
    static final int MAX_ENTRIES = 64;

    private JsonValues() {
    }

    /** {@code value} as a safe, immutable JSON value. */
    public static Object sanitize(Object value) {
        return sanitize(value, 0);
    }

    private static Object sanitize(Object value, int depth) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return text(s);
        }
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Double || value instanceof Float
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger
                || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof AtomicInteger || value instanceof AtomicLong) {
            return ((Number) value).longValue();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof Map<?, ?> m) {
            if (depth >= MAX_DEPTH) {
                return "{… " + m.size() + " entries, nested too deep}";
            }
            Map<String, Object> out = new LinkedHashMap<>();
            int n = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (n++ == MAX_ENTRIES) {
                    out.put("…", (m.size() - MAX_ENTRIES) + " more");
                    break;
                }
                String key = e.getKey() instanceof String k ? text(k) : describe(e.getKey());
                Object v = e.getValue();
                out.put(key, Redactor.isSensitiveKey(key) ? Redactor.MASK : sanitize(v, depth + 1));
            }
            return Collections.unmodifiableMap(out);
        }
        if (value instanceof Collection<?> c) {
            if (depth >= MAX_DEPTH) {
                return "[… " + c.size() + " items, nested too deep]";
            }
            List<Object> out = new ArrayList<>(Math.min(c.size(), MAX_ENTRIES + 1));
            int n = 0;
            for (Object o : c) {
                if (n++ == MAX_ENTRIES) {
                    out.add("… " + (c.size() - MAX_ENTRIES) + " more");
                    break;
                }
                out.add(sanitize(o, depth + 1));
            }
            return Collections.unmodifiableList(out);
        }
        if (value instanceof Object[] a) {
            return sanitize(java.util.Arrays.asList(a), depth);
        }
        return describe(value);
    }

    private static String describe(Object value) {
        String s;
        try {
            s = String.valueOf(value);
        } catch (RuntimeException | StackOverflowError e) {
            s = value.getClass().getName();
        }
        return text(s);
    }

    /** {@code s} redacted and cut to {@value #MAX_TEXT} characters, saying how many were left out. */
    public static String text(String s) {
        if (s.length() <= MAX_TEXT) {
            return Redactor.redact(s);
        }
        // redact a little more than is kept, so a secret cut at the edge is still recognised
        String head = Redactor.redact(s.substring(0, MAX_TEXT + 256));
        int keep = Math.min(head.length(), MAX_TEXT);
        return head.substring(0, keep) + "… " + (s.length() - keep) + " more";
    }
}
