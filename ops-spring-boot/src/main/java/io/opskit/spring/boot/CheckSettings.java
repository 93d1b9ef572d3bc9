package io.opskit.spring.boot;

import io.opskit.core.CheckRegistration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applies {@code opskit.checks.<name>.*} to a registration. A check is found under its opskit name
 * ({@code db:health}, {@code disk:space}) and, for an Actuator contributor, under its Boot path
 * ({@code db}, {@code db/primary}); the more specific key wins. Keys compare case-insensitively,
 * without {@code -} or {@code _} (Spring's relaxed binding may have rewritten them), and with
 * {@code /} for {@code :}, which a {@code .properties} file reads as the end of the key.
 */
final class CheckSettings {

    private final Map<String, OpsProperties.Check> checks;

    CheckSettings(OpsProperties properties) {
        this.checks = properties.getChecks();
    }

    /** Whether any setting names {@code keys}. */
    boolean hasAny(String... keys) {
        for (String key : keys) {
            if (find(key) != null) {
                return true;
            }
        }
        return false;
    }

    /** {@code registration} with the settings of {@code keys} (least specific first) applied. */
    CheckRegistration apply(CheckRegistration registration, String... keys) {
        List<String> found = new ArrayList<>();
        CheckRegistration.Builder b = registration.toBuilder();
        for (String key : keys) {
            String match = find(key);
            if (match != null) {
                found.add(match);
                try {
                    checks.get(match).applyTo(b);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("opskit.checks." + match + ": " + e.getMessage(), e);
                }
            }
        }
        return found.isEmpty() ? registration : b.build();
    }

    private String find(String key) {
        if (checks.containsKey(key)) {
            return key;
        }
        String wanted = normalize(key);
        for (String candidate : checks.keySet()) {
            if (normalize(candidate).equals(wanted)) {
                return candidate;
            }
        }
        return null;
    }

    private static String normalize(String key) {
        String k = key.startsWith("[") && key.endsWith("]") ? key.substring(1, key.length() - 1) : key;
        // "disk/space" finds disk:space: a colon separates key and value in a .properties file
        return k.replace("-", "").replace("_", "").replace(':', '/').toLowerCase(Locale.ROOT);
    }
}
