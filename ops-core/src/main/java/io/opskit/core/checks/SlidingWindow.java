package io.opskit.core.checks;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Optional;

/**
 * A small ring of timed samples of cumulative counters, so that a check can judge the change
 * over the last window rather than everything since the process started. Samples are kept at
 * least {@code window / capacity} apart, so the ring stays bounded however often the check runs.
 * Not thread-safe: the owner synchronizes.
 *
 * @param <S> what one sample holds
 */
final class SlidingWindow<S> {

    /** One sample: when (a {@link System#nanoTime()}-like reading) and what. */
    record Sample<S>(long nanos, S value) {
    }

    private final long windowNanos;
    private final long spacingNanos;
    private final int capacity;
    private final ArrayDeque<Sample<S>> samples;

    SlidingWindow(Duration window, int capacity) {
        this.windowNanos = window.toNanos();
        this.capacity = capacity;
        this.spacingNanos = Math.max(1, windowNanos / Math.max(1, capacity - 2));
        this.samples = new ArrayDeque<>(capacity);
    }

    /**
     * The sample to compare a reading taken at {@code now} with: the newest one at least a window
     * old, else the oldest there is (the window is still filling); empty before the first sample.
     * Drops the samples that can no longer be a baseline.
     */
    Optional<Sample<S>> baseline(long now) {
        while (samples.size() >= 2 && now - second().nanos() >= windowNanos) {
            samples.removeFirst();
        }
        return Optional.ofNullable(samples.peekFirst());
    }

    /** Remembers a reading taken at {@code now}, unless the last one kept is too recent. */
    void record(long now, S value) {
        Sample<S> last = samples.peekLast();
        if (last != null && now - last.nanos() < spacingNanos) {
            return;
        }
        if (samples.size() == capacity) {
            samples.removeFirst();
        }
        samples.addLast(new Sample<>(now, value));
    }

    /** Forgets everything and starts again from one reading (after a counter went backwards). */
    void reset(long now, S value) {
        samples.clear();
        samples.addLast(new Sample<>(now, value));
    }

    /** How many samples are kept. */
    int size() {
        return samples.size();
    }

    private Sample<S> second() {
        Iterator<Sample<S>> it = samples.iterator();
        it.next();
        return it.next();
    }
}
