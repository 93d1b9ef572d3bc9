package io.opskit.core;

/**
 * A monotonic source of nanoseconds: ages, deadlines, staleness and the engine's heartbeat are
 * measured with it, never with the wall clock, so an NTP step or a manual clock change moves no
 * status. Timestamps shown to users come from a {@link java.time.Clock}. Tests inject their own
 * to move time by hand.
 */
@FunctionalInterface
public interface Ticker {

    /** The JDK's monotonic time, {@link System#nanoTime()}. */
    Ticker SYSTEM = System::nanoTime;

    /** Nanoseconds from an arbitrary origin; only differences between two readings mean anything. */
    long nanoTime();
}
