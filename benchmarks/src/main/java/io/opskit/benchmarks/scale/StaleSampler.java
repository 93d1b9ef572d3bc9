package io.opskit.benchmarks.scale;

import io.opskit.core.CheckState;
import io.opskit.core.HealthSnapshot;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Counts stale checks in the published readiness snapshot every {@code periodMillis}, on a daemon
 * thread: one volatile read and a walk over the snapshot's list, so a sample costs microseconds.
 * Keeps the maximum since the start and since the last {@link #resetWindow()}.
 */
final class StaleSampler implements AutoCloseable {

    private final Ops ops;
    private final long periodNanos;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int maxEver;
    private volatile int maxWindow;
    private volatile long samples;
    private volatile long sampleNanos;
    private volatile long maxSampleNanos;

    StaleSampler(Ops ops, long periodMillis) {
        this.ops = ops;
        this.periodNanos = TimeUnit.MILLISECONDS.toNanos(periodMillis);
        this.thread = new Thread(this::loop, "scale-stale-sampler");
        this.thread.setDaemon(true);
    }

    StaleSampler start() {
        thread.start();
        return this;
    }

    private void loop() {
        long next = System.nanoTime();
        while (running) {
            long t0 = System.nanoTime();
            HealthSnapshot s = ops.health(Probe.READINESS);
            int stale = 0;
            for (CheckState c : s.checks()) {
                if (c.stale()) {
                    stale++;
                }
            }
            long took = System.nanoTime() - t0;
            samples++;
            sampleNanos += took;
            maxSampleNanos = Math.max(maxSampleNanos, took);
            maxEver = Math.max(maxEver, stale);
            maxWindow = Math.max(maxWindow, stale);
            next += periodNanos;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
    }

    /** Starts a new window for {@link #maxWindow()}. */
    void resetWindow() {
        maxWindow = 0;
    }

    int maxEver() {
        return maxEver;
    }

    int maxWindow() {
        return maxWindow;
    }

    long samples() {
        return samples;
    }

    /** Mean cost of one sample, microseconds. */
    double meanSampleMicros() {
        long n = samples;
        return n == 0 ? 0 : sampleNanos / 1e3 / n;
    }

    double maxSampleMicros() {
        return maxSampleNanos / 1e3;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(1000);
    }
}
