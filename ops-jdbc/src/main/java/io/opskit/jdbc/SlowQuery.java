package io.opskit.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A statement that took at least the {@link QueryMonitor}'s slow threshold: its normalized SQL
 * (literals replaced by {@code ?}, so no data), how long it took, when it finished, and the
 * correlation ID of the request that ran it.
 *
 * @param sql           the normalized SQL (for a batch: the first statement and how many more)
 * @param duration      how long the execution took
 * @param time          when it finished
 * @param correlationId the correlation ID current on the executing thread, if any
 * @param success       whether it completed without an exception
 */
public record SlowQuery(String sql, Duration duration, Instant time, Optional<String> correlationId, boolean success) {

    /** Validates. */
    public SlowQuery {
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(correlationId, "correlationId");
    }

    /**
     * This entry as JSON-able values (strings, numbers, booleans), for an endpoint such as
     * {@code /api/database/slow-queries}: {@code sql}, {@code durationMs}, {@code time} (ISO-8601),
     * {@code correlationId} (when present), {@code success}.
     */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sql", sql);
        m.put("durationMs", duration.toNanos() / 1_000_000.0);
        m.put("time", time.toString());
        correlationId.ifPresent(id -> m.put("correlationId", id));
        m.put("success", success);
        return m;
    }
}
