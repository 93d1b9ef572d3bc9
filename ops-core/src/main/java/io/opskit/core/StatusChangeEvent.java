package io.opskit.core;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A check's reported status changed.
 *
 * @param check  the check's name
 * @param from   the status before, empty for a check's first result
 * @param to     the status now
 * @param output the output of the result that caused the change (redacted)
 * @param time     when the change was observed
 * @param severity how urgent a FAIL of the check is ({@link CheckRegistration#severity()})
 */
public record StatusChangeEvent(String check, Optional<Status> from, Status to, String output, Instant time,
        Severity severity) implements OpsEvent {

    /** Validates; the output is redacted. */
    public StatusChangeEvent {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        output = Redactor.redact(output);
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(severity, "severity");
    }

    /**
     * An event without a known severity: {@link Severity#P2}, the level of a degraded feature.
     * Kept so code written before severities compiles unchanged; the engine passes the check's own.
     */
    public StatusChangeEvent(String check, Optional<Status> from, Status to, String output, Instant time) {
        this(check, from, to, output, time, Severity.P2);
    }

    @Override
    public String source() {
        return check;
    }

    /** Whether this change is a recovery (to PASS from something worse). */
    public boolean isRecovery() {
        return to == Status.PASS && from.isPresent() && from.get() != Status.PASS;
    }

    @Override
    public String describe() {
        return check + " " + from.map(Status::wireName).orElse("pending") + " -> " + to.wireName()
                + (output.isEmpty() ? "" : ": " + output);
    }
}
