package io.opskit.core;

import java.util.Locale;

/**
 * The status of a check or of a probe, in the words of the IETF health-check draft
 * ({@code application/health+json}). {@link #FAIL} is worse than {@link #WARN}, which is worse
 * than {@link #PASS}.
 */
public enum Status {
    /** Healthy. */
    PASS(1.0),
    /** Healthy, with a concern worth a look. */
    WARN(0.5),
    /** Unhealthy. */
    FAIL(0.0);

    private final double gaugeValue;
    private final String wire;

    Status(double gaugeValue) {
        this.gaugeValue = gaugeValue;
        this.wire = name().toLowerCase(Locale.ROOT);
    }

    /** The worse of this status and {@code other}. */
    public Status worst(Status other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    /** Whether this status is worse than {@code other}. */
    public boolean isWorseThan(Status other) {
        return ordinal() > other.ordinal();
    }

    /** The value of the {@code opskit.health.status} gauge: 1 pass, 0.5 warn, 0 fail. */
    public double gaugeValue() {
        return gaugeValue;
    }

    /** The HTTP status a health endpoint answers with: 200 for pass and warn, 503 for fail. */
    public int httpStatus() {
        return this == FAIL ? 503 : 200;
    }

    /** The lowercase word of the wire format: {@code pass}, {@code warn}, {@code fail}. */
    public String wireName() {
        return wire;
    }
}
