package io.opskit.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one reaper run: every session it looked at and what it did, or the error
 * that stopped it.
 *
 * @param startedAt when the run started
 * @param took      how long it took
 * @param dryRun    whether it was a dry run
 * @param sessions  the sessions it looked at, oldest idle first
 * @param error     why the run failed, if it did (redacted)
 */
public record ReaperRun(Instant startedAt, Duration took, boolean dryRun, List<ReapedSession> sessions,
                        Optional<String> error) {

    /** Validates and copies. */
    public ReaperRun {
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(took, "took");
        sessions = List.copyOf(sessions);
        Objects.requireNonNull(error, "error");
    }

    /** How many sessions were terminated. */
    public long terminated() {
        return count(ReapedSession.Outcome.TERMINATED);
    }

    /** How many sessions a dry run would have terminated. */
    public long wouldTerminate() {
        return count(ReapedSession.Outcome.WOULD_TERMINATE);
    }

    /** How many sessions were skipped, by outcome. */
    public Map<ReapedSession.Outcome, Long> skipped() {
        Map<ReapedSession.Outcome, Long> out = new EnumMap<>(ReapedSession.Outcome.class);
        for (ReapedSession s : sessions) {
            if (s.outcome().isSkip()) {
                out.merge(s.outcome(), 1L, Long::sum);
            }
        }
        return out;
    }

    /** How many sessions had {@code outcome}. */
    public long count(ReapedSession.Outcome outcome) {
        return sessions.stream().filter(s -> s.outcome() == outcome).count();
    }

    /** Whether the run failed. */
    public boolean failed() {
        return error.isPresent();
    }
}
