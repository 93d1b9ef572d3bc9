package io.opskit.core.endpoint.contract;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A wall clock a test moves by hand (shared by the modules' tests through ops-core's test-jar). */
public final class MovableClock extends Clock {
    private final AtomicReference<Instant> now;

    /** A clock standing at the present moment. */
    public MovableClock() {
        this(Instant.now());
    }

    /** A clock standing at {@code start}. */
    public MovableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Moves the clock by {@code d} (backwards when negative). */
    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
