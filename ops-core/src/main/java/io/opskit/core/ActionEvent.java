package io.opskit.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A remediation or operator action opskit took, audited in the event history: a reaper
 * terminating a session, a pool evicting its connections, maintenance mode switched on.
 *
 * @param source  what acted, e.g. {@code postgres:reaper}
 * @param action  what it did, e.g. {@code terminate}
 * @param message one human line (redacted)
 * @param details small JSON-able details (values redacted)
 * @param time    when
 */
public record ActionEvent(String source, String action, String message, Map<String, String> details, Instant time)
        implements OpsEvent {

    /** Validates; message and details are redacted. */
    public ActionEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(action, "action");
        message = Redactor.redact(message);
        details = Redactor.redact(details == null ? Map.of() : details);
        Objects.requireNonNull(time, "time");
    }

    /** An action event observed now. */
    public static ActionEvent of(String source, String action, String message, Map<String, String> details) {
        return new ActionEvent(source, action, message, details, Instant.now());
    }

    @Override
    public String describe() {
        return source + " " + action + (message.isEmpty() ? "" : ": " + message);
    }
}
