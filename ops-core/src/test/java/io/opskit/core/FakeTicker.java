package io.opskit.core;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A monotonic ticker the test moves by hand. */
final class FakeTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Override
    public long nanoTime() {
        return nanos.get();
    }
}
