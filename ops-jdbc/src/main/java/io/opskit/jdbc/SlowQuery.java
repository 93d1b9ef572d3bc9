package io.opskit.jdbc;

import java.time.Duration;
import java.time.Instant;
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
}
