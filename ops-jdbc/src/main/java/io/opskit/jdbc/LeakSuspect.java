package io.opskit.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

    /** A one-line description: id, held time, thread, correlation ID and the first application frame. */
    public String describe() {
        return "connection " + connectionId + " held for " + heldFor.toMillis() + " ms by thread '" + threadName + "'"
                + correlationId.map(id -> " (correlationId " + id + ")").orElse("")
                + (borrowStack.isEmpty() ? "" : " borrowed at " + borrowStack.get(0));
    }
}
