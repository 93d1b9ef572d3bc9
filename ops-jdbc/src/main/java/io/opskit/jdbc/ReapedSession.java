package io.opskit.jdbc;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One database session a reaper run looked at: who it was, how long it had been idle, and what
 * the reaper did with it.
 *
 * @param id            the server's session id (PostgreSQL backend pid, MySQL thread id)
 * @param user          the session's user
 * @param application   its application name (empty if none)
 * @param clientAddress the client address, if a TCP client
 * @param state         idle or idle in transaction
 * @param idleFor       how long it had been in that state
 * @param outcome       what the reaper did
 * @param query         the last query text, only when {@link ReaperConfig#logQueryText()} is on
 */
public record ReapedSession(long id, String user, String application, Optional<String> clientAddress, State state,
                            Duration idleFor, Outcome outcome, Optional<String> query) {

    /** Validates. */
    public ReapedSession {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(application, "application");
        Objects.requireNonNull(clientAddress, "clientAddress");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(idleFor, "idleFor");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(query, "query");
    }

    /** The idle states a reaper acts on. */
    public enum State {
        /** {@code idle}: connected, doing nothing. */
        IDLE("idle"),
        /** {@code idle in transaction} (or aborted): holding a transaction open, and with it locks and the xmin horizon. */
        IDLE_IN_TRANSACTION("idle_in_transaction");

        private final String tag;

        State(String tag) {
            this.tag = tag;
        }

        /** The metric tag value, e.g. {@code idle_in_transaction}. */
        public String tag() {
            return tag;
        }
    }

    /** What a reaper did with a session. */
    public enum Outcome {
        /** Terminated. */
        TERMINATED,
        /** Would have been terminated; the run was a dry run. */
        WOULD_TERMINATE,
        /** Selected for termination, but the session had already gone. */
        GONE,
        /** Skipped: the cap on terminations per run was reached (the oldest sessions go first). */
        SKIPPED_CAP,
        /** Skipped: a superuser session whose role the config does not name exactly, or the reaper is no superuser. */
        SKIPPED_SUPERUSER,
        /** Skipped: the reaper's role may not signal this session's role. */
        SKIPPED_NO_PERMISSION,
        /** Skipped: the reaper's own session. */
        SKIPPED_OWN_SESSION,
        /** Skipped: a session of the pool the reaper works for, known by its session id. */
        SKIPPED_OWN_POOL,
        /** Skipped: a backup or restore tool ({@link ReaperConfig#PROTECTED_APPLICATIONS}) not named in the config. */
        SKIPPED_PROTECTED_APPLICATION,
        /** Skipped: not a client session (autovacuum, replication, background workers). */
        SKIPPED_NOT_A_CLIENT;

        /** Whether the session was left alone on purpose. */
        public boolean isSkip() {
            return name().startsWith("SKIPPED_");
        }

        /** The metric tag value, e.g. {@code superuser}. */
        public String tag() {
            return name().startsWith("SKIPPED_") ? name().substring(8).toLowerCase(java.util.Locale.ROOT)
                    : name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
