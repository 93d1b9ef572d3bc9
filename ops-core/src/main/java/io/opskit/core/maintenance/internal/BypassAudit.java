package io.opskit.core.maintenance.internal;

import io.opskit.core.ActionEvent;
import io.opskit.core.OpsEvents;
import io.opskit.core.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Audits uses of the maintenance bypass as {@link ActionEvent}s ({@code maintenance bypass}),
 * at most one per client per interval, so an operator clicking through the site during
 * maintenance leaves one line a minute in the history, not hundreds. The memory of who was
 * audited when is bounded.
 */
public final class BypassAudit {

    /** Source of the audited events. */
    public static final String SOURCE = "maintenance";
    /** Action of the audited events. */
    public static final String ACTION = "bypass";
    static final int MAX_CLIENTS = 4096;

    private final OpsEvents events;
    private final Clock clock;
    private final Ticker ticker;
    private final long intervalNanos;
    private final Map<String, Long> lastAudit = new ConcurrentHashMap<>();

    /** Publishes to {@code events}, stamped by {@code clock}, at most once per client per {@code interval} of {@code ticker}. */
    public BypassAudit(OpsEvents events, Clock clock, Ticker ticker, Duration interval) {
        this.events = events;
        this.clock = clock;
        this.ticker = ticker;
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Records that {@code client} got in by {@code by} ({@code header}, {@code cookie}, {@code link},
     * {@code allowlist}) to {@code method path}, unless this client was audited within the interval.
     *
     * @return whether an event was published
     */
    public boolean record(String client, String by, String method, String path) {
        long now = ticker.nanoTime();
        boolean[] due = {false};
        if (lastAudit.size() >= MAX_CLIENTS && !lastAudit.containsKey(client)) {
            lastAudit.values().removeIf(t -> now - t >= intervalNanos);
            if (lastAudit.size() >= MAX_CLIENTS) {
                lastAudit.clear(); // thousands of distinct bypassing clients: auditing too often beats unbounded memory
            }
        }
        lastAudit.compute(client, (k, last) -> {
            if (last == null || now - last >= intervalNanos) {
                due[0] = true;
                return now;
            }
            return last;
        });
        if (due[0]) {
            events.publish(new ActionEvent(SOURCE, ACTION, "maintenance bypassed by " + by + " from " + client,
                    Map.of("client", client, "by", by, "method", method, "path", path), clock.instant()));
        }
        return due[0];
    }
}
