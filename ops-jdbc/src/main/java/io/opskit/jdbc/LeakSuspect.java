package io.opskit.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A connection borrowed through a {@link LeakTracker} and not yet returned: when, where (the
 * borrowing stack, opskit and proxy frames left out), by which thread and for which request.
 *
 * @param connectionId  the tracker's id of the connection
 * @param borrowedAt    when it was borrowed
 * @param heldFor       how long it has been held so far
 * @param threadName    the borrowing thread's name
 * @param threadId      the borrowing thread's id
 * @param correlationId the correlation ID current when it was borrowed, if any
 * @param borrowStack   the borrowing stack, innermost frame first (empty when stack capture is off)
 */
public record LeakSuspect(String connectionId, Instant borrowedAt, Duration heldFor, String threadName, long threadId,
                          Optional<String> correlationId, List<String> borrowStack) {

    /** Validates and copies. */
    public LeakSuspect {
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(borrowedAt, "borrowedAt");
        Objects.requireNonNull(heldFor, "heldFor");
        Objects.requireNonNull(threadName, "threadName");
        Objects.requireNonNull(correlationId, "correlationId");
        borrowStack = List.copyOf(borrowStack);
    }

    /**
     * This suspect as JSON-able values, for check details or an endpoint: {@code connectionId},
     * {@code borrowedAt} (ISO-8601), {@code heldMs}, {@code thread}, {@code correlationId} (when
     * present), {@code borrowStack} (at most {@code maxFrames} frames).
     */
    public Map<String, Object> asMap(int maxFrames) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connectionId", connectionId);
        m.put("borrowedAt", borrowedAt.toString());
        m.put("heldMs", heldFor.toMillis());
        m.put("thread", threadName);
        correlationId.ifPresent(id -> m.put("correlationId", id));
        m.put("borrowStack", borrowStack.subList(0, Math.min(Math.max(0, maxFrames), borrowStack.size())));
        return m;
    }

    /** A one-line description: id, held time, thread, correlation ID and the first application frame. */
    public String describe() {
        return "connection " + connectionId + " held for " + heldFor.toMillis() + " ms by thread '" + threadName + "'"
                + correlationId.map(id -> " (correlationId " + id + ")").orElse("")
                + (borrowStack.isEmpty() ? "" : " borrowed at " + borrowStack.get(0));
    }
}
