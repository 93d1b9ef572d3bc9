package io.opskit.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test support: what a test's health indicator answers, the same on every Boot line; the line's
 * {@code TestIndicator} turns it into that line's {@code Health}.
 */
record TestHealth(String status, Map<String, Object> details) {

    static TestHealth up() {
        return new TestHealth("UP", Map.of());
    }

    static TestHealth down() {
        return new TestHealth("DOWN", Map.of());
    }

    static TestHealth outOfService() {
        return new TestHealth("OUT_OF_SERVICE", Map.of());
    }

    TestHealth withDetail(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new TestHealth(status, more);
    }
}
