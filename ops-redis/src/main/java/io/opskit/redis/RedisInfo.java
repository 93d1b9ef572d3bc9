package io.opskit.redis;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The parsed text of Redis {@code INFO} (or {@code CLUSTER INFO}): {@code key:value} lines,
 * grouped under {@code # Section} headers. Immutable.
 *
 * <pre>{@code
 * RedisInfo info = RedisInfo.parse(commands.info("memory"));
 * long used = info.getLong("used_memory").orElse(0);
 * }</pre>
 */
public final class RedisInfo {

    private static final RedisInfo EMPTY = new RedisInfo(Map.of(), Map.of());

    private final Map<String, String> values;
    private final Map<String, Map<String, String>> sections;

    private RedisInfo(Map<String, String> values, Map<String, Map<String, String>> sections) {
        this.values = values;
        this.sections = sections;
    }

    /** An INFO with no fields. */
    public static RedisInfo empty() {
        return EMPTY;
    }

    /**
     * Parses INFO text. Lines without a colon and comments other than section headers are
     * skipped; a later duplicate key wins.
     */
    public static RedisInfo parse(String text) {
        Objects.requireNonNull(text, "text");
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        String section = "";
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                section = line.substring(1).strip().toLowerCase(Locale.ROOT);
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1);
            values.put(key, value);
            sections.computeIfAbsent(section, s -> new LinkedHashMap<>()).put(key, value);
        }
        Map<String, Map<String, String>> frozen = new LinkedHashMap<>();
        sections.forEach((k, v) -> frozen.put(k, Collections.unmodifiableMap(v)));
        return new RedisInfo(Collections.unmodifiableMap(values), Collections.unmodifiableMap(frozen));
    }

    /** The raw value of {@code key}, if present. */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The value of {@code key} as a whole number, if present and numeric. */
    public OptionalLong getLong(String key) {
        String v = values.get(key);
        if (v == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The value of {@code key} as a number, if present and numeric. */
    public OptionalDouble getDouble(String key) {
        String v = values.get(key);
        if (v == null) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(v.strip()));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    /** The fields of one section (name lowercase, e.g. {@code memory}); empty if absent. */
    public Map<String, String> section(String name) {
        return sections.getOrDefault(name.toLowerCase(Locale.ROOT), Map.of());
    }

    /** Every field, in the order Redis sent them; unmodifiable. */
    public Map<String, String> asMap() {
        return values;
    }

    /** This INFO with the fields of {@code newer} laid over it. */
    public RedisInfo merge(RedisInfo newer) {
        if (newer.values.isEmpty()) {
            return this;
        }
        Map<String, String> values = new LinkedHashMap<>(this.values);
        values.putAll(newer.values);
        Map<String, Map<String, String>> sections = new LinkedHashMap<>(this.sections);
        sections.putAll(newer.sections);
        return new RedisInfo(Collections.unmodifiableMap(values), Collections.unmodifiableMap(sections));
    }

    @Override
    public String toString() {
        return "RedisInfo" + values;
    }
}
