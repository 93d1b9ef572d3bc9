package io.opskit.core.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable maintenance-mode state: on or off, why, since when, until when it is expected to
 * last, and which source set it.
 *
 * @param enabled     whether maintenance mode is on
 * @param reason      a human reason shown on the maintenance page (may be empty)
 * @param since       when the state was set
 * @param expectedEnd when maintenance is expected to end, if known (drives {@code Retry-After})
 * @param source      who set it: {@code programmatic}, {@code env}, {@code file}, {@code redis}, …
 */
public record MaintenanceState(boolean enabled, String reason, Instant since, Optional<Instant> expectedEnd,
                               String source) {

    /** Validates. */
    public MaintenanceState {
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(expectedEnd, "expectedEnd");
        Objects.requireNonNull(source, "source");
    }

    /** Maintenance off, set by {@code source} now. */
    public static MaintenanceState off(String source) {
        return new MaintenanceState(false, "", Instant.now(), Optional.empty(), source);
    }

    /** Maintenance on, set by {@code source} now. */
    public static MaintenanceState on(String reason, Optional<Instant> expectedEnd, String source) {
        return new MaintenanceState(true, reason, Instant.now(), expectedEnd, source);
    }

    /**
     * Seconds until the expected end, at least 1, for a {@code Retry-After} header; empty when
     * no end is known.
     */
    public Optional<Long> retryAfterSeconds(Instant now) {
        return expectedEnd.map(end -> Math.max(1L, (Duration.between(now, end).toMillis() + 999) / 1000));
    }
}
