package io.opskit.benchmarks.scale;

import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A trivial check whose status the benchmark sets. When it returns a status other than the one
 * it returned before, it records {@code System.nanoTime()} just before returning: the moment
 * the engine has the new result in hand.
 */
final class FlipCheck implements HealthCheck {

    private final AtomicReference<Status> wanted = new AtomicReference<>(Status.PASS);
    private volatile Status returned = Status.PASS;
    private volatile long changedAtNanos;
    private volatile long changes;

    void set(Status status) {
        wanted.set(status);
    }

    /** How many times it has returned a new status. */
    long changes() {
        return changes;
    }

    /** When it last returned a new status. */
    long changedAtNanos() {
        return changedAtNanos;
    }

    @Override
    public Result check() {
        Status s = wanted.get();
        Result r = s == Status.FAIL ? Result.fail("flipped by the benchmark") : Result.pass();
        if (s != returned) {
            returned = s;
            changedAtNanos = System.nanoTime();
            changes++;      // one run at a time: the engine never runs a check twice at once
        }
        return r;
    }
}
