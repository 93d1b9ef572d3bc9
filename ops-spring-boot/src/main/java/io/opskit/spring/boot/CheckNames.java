package io.opskit.spring.boot;

import io.opskit.core.CheckRegistration;
import java.util.List;
import java.util.function.Predicate;

/**
 * Names an Actuator contributor's path as an opskit check: {@code diskSpace} is
 * {@code diskSpace:health}, the child {@code primary} of the composite {@code db} is
 * {@code db:primary}, deeper children are joined with dots ({@code a:b.c}). Characters a check
 * name does not allow become {@code -}; each part keeps at most 63 characters, so the result
 * always passes {@link CheckRegistration#isValidName(String)}.
 */
final class CheckNames {

    /** The measurement of a top-level indicator. */
    static final String MEASUREMENT = "health";

    private static final int MAX_PART = 63;

    private CheckNames() {
    }

    /** The check name of the contributor at {@code path} (top-level name first). */
    static String of(List<String> path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a contributor path must not be empty");
        }
        String component = part(path.get(0));
        String measurement = path.size() == 1 ? MEASUREMENT : part(String.join(".", path.subList(1, path.size())));
        String name = component + ":" + measurement;
        if (!CheckRegistration.isValidName(name)) {
            throw new IllegalStateException("could not name " + path + " as a check: got '" + name + "'");
        }
        return name;
    }

    /** {@code name} made unique with a numeric suffix, given the names {@code taken}. */
    static String unique(String name, Predicate<String> taken) {
        if (!taken.test(name)) {
            return name;
        }
        for (int i = 2; ; i++) {
            String suffix = "-" + i;
            String base = name.length() + suffix.length() > name.indexOf(':') + 1 + MAX_PART
                    ? name.substring(0, name.indexOf(':') + 1 + MAX_PART - suffix.length()) : name;
            String candidate = base + suffix;
            if (!taken.test(candidate)) {
                return candidate;
            }
        }
    }

    private static String part(String raw) {
        StringBuilder b = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length() && b.length() < MAX_PART; i++) {
            char c = raw.charAt(i);
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-');
            b.append(ok ? c : '-');
        }
        if (b.length() == 0 || !Character.isLetterOrDigit(b.charAt(0))) {
            b.insert(0, 'x');
            if (b.length() > MAX_PART) {
                b.setLength(MAX_PART);
            }
        }
        return b.toString();
    }
}
