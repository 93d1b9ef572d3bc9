package io.opskit.core;

/**
 * How urgent a failing check is, in the runbooks' incident levels. It travels with a check's
 * status changes, its metrics ({@code opskit.health.check.info{severity}}) and the alerts made
 * from them, so a pager and a ticket queue can be told apart by one label.
 *
 * <ul>
 *   <li>{@link #P0}: complete outage; respond now.</li>
 *   <li>{@link #P1}: a major feature broken (this instance cannot serve); within the hour.</li>
 *   <li>{@link #P2}: a feature degraded (performance, shared-dependency pressure); within hours.</li>
 *   <li>{@link #P3}: low impact, known ahead (a certificate expiring next week); within a day.</li>
 * </ul>
 *
 * <p>A registration without an explicit severity gets {@link #defaultFor(boolean)}: P1 for a
 * critical check, P2 for a non-critical one.
 */
public enum Severity {
    /** Complete outage. */
    P0,
    /** Major feature broken. */
    P1,
    /** Feature degraded. */
    P2,
    /** Low impact. */
    P3;

    /** The severity of a check registered without one: P1 when critical, P2 otherwise. */
    public static Severity defaultFor(boolean critical) {
        return critical ? P1 : P2;
    }

    /** Whether this severity wakes someone up (P0, P1) rather than opening a ticket. */
    public boolean pages() {
        return this == P0 || this == P1;
    }

    /** The routing hint used in alert labels: {@code page} for P0 and P1, {@code ticket} otherwise. */
    public String routing() {
        return pages() ? "page" : "ticket";
    }
}
