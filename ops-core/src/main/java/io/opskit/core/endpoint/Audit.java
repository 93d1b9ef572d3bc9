package io.opskit.core.endpoint;

import io.opskit.core.ActionEvent;
import io.opskit.core.OpsEvents;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Audits operator actions and refused attempts as {@link ActionEvent}s (which the event stream
 * also logs), rate-limited per kind with a one-minute token bucket: what is over the limit is
 * counted and reported in the next event that passes, so a flood of bad tokens cannot flood the
 * log or push real events out of the history.
 */
final class Audit {

    static final String SOURCE = "opskit:surface";
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final OpsEvents events;
    private final Bucket refusals;
    private final Bucket actions;

    Audit(OpsEvents events, int refusalsPerMinute) {
        this.events = events;
        this.refusals = new Bucket(refusalsPerMinute);
        this.actions = new Bucket(Math.max(120, refusalsPerMinute));
    }

    void refused(Caller caller, String method, String path, int status, String why) {
        publish(refusals, "refused", caller, method, path, status, why);
    }

    void action(Caller caller, String method, String path, int status) {
        publish(actions, "operator-action", caller, method, path, status, status < 400 ? "done" : "failed");
    }

    private void publish(Bucket bucket, String action, Caller caller, String method, String path, int status, String result) {
        long suppressed = bucket.take();
        if (suppressed < 0) {
            return;
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("caller", caller.name());
        details.put("role", caller.role().name().toLowerCase(java.util.Locale.ROOT));
        details.put("address", caller.address());
        details.put("method", method);
        details.put("path", path);
        details.put("status", Integer.toString(status));
        details.put("result", result);
        if (suppressed > 0) {
            details.put("suppressed", Long.toString(suppressed));
        }
        String message = caller.name() + " from " + caller.address() + ": " + method + " " + path + " -> " + status + " "
                + result + (suppressed > 0 ? " (" + suppressed + " more not audited in the last minute)" : "");
        events.publish(ActionEvent.of(SOURCE, action, message, details));
    }

    /** A token bucket refilled over a minute; {@link #take()} answers how many were dropped before, or -1 when this one is. */
    private static final class Bucket {
        private final int perMinute;
        private double tokens;
        private long last = System.nanoTime();
        private long dropped;

        Bucket(int perMinute) {
            this.perMinute = perMinute;
            this.tokens = perMinute;
        }

        synchronized long take() {
            long now = System.nanoTime();
            tokens = Math.min(perMinute, tokens + (double) (now - last) * perMinute / MINUTE_NANOS);
            last = now;
            if (tokens < 1) {
                dropped++;
                return -1;
            }
            tokens -= 1;
            long d = dropped;
            dropped = 0;
            return d;
        }
    }
}
