package io.opskit.core.internal;

import io.opskit.core.Lifecycle;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lifecycle as one forward-only state machine: {@code STARTING → READY → DRAINING →
 * STOPPED}, where a step may be skipped but never undone. Every move is one compare-and-set, so
 * an automatic READY racing a drain can never end READY.
 */
final class LifecycleState {

    private final AtomicReference<Lifecycle> state = new AtomicReference<>(Lifecycle.STARTING);

    Lifecycle get() {
        return state.get();
    }

    /** Moves to {@code next} if it is ahead of the current state; returns the state it left, or null if it did not move. */
    Lifecycle advance(Lifecycle next) {
        while (true) {
            Lifecycle now = state.get();
            if (next.ordinal() <= now.ordinal()) {
                return null;
            }
            if (state.compareAndSet(now, next)) {
                return now;
            }
        }
    }

    /** Moves from exactly {@code from} to {@code to}; false when the state was anything else. */
    boolean advance(Lifecycle from, Lifecycle to) {
        return to.ordinal() > from.ordinal() && state.compareAndSet(from, to);
    }
}
