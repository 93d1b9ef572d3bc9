package io.opskit.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One sample of a connection pool.
 *
 * @param time            when it was taken
 * @param active          connections in use
 * @param idle            connections idle in the pool
 * @param total           connections open
 * @param max             the pool's maximum size
 * @param threadsAwaiting threads waiting for a connection
 * @param awaitingFor     how long threads have been waiting without a break, as of this sample (zero if none wait)
 */
public record PoolSample(Instant time, int active, int idle, int total, int max, int threadsAwaiting, Duration awaitingFor) {

    /** Validates. */
    public PoolSample {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(awaitingFor, "awaitingFor");
    }

    /** Connections in use as a share of the maximum, 0 to 1. */
    public double utilization() {
        return max <= 0 ? 0 : (double) active / max;
    }
}
