package io.opskit.benchmarks.scale;

import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.HealthEndpoint;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Times {@code HealthEndpoint.handle("ready")} in this process, one call at a time with a pause
 * between calls (a steady reader, not a saturating loop), into an HdrHistogram. A call after a
 * new snapshot renders its JSON; every other call returns the cached response: both are counted,
 * and the mean time of the calls that rendered is reported apart.
 */
final class InProcessReads {

    private static final EndpointRequest GET = EndpointRequest.of("GET", "127.0.0.1");

    private InProcessReads() {
    }

    /** What a window of reads measured. */
    record Figures(long reads, long renders, int bodyBytes, int status, double p50Micros, double p99Micros,
                   double p999Micros, double maxMicros, double renderMeanMicros) {
    }

    static Figures measure(HealthEndpoint endpoint, long seconds, long pauseMicros) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        EndpointResponse previous = null;
        long renders = 0;
        long renderNanos = 0;
        EndpointResponse r = null;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            r = endpoint.handle("ready", GET);
            long took = System.nanoTime() - t0;
            h.recordValue(Math.min(took, h.getHighestTrackableValue()));
            if (r != previous) {
                renders++;
                renderNanos += took;
                previous = r;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(pauseMicros));
        }
        return new Figures(h.getTotalCount(), renders, r == null ? 0 : r.length(), r == null ? 0 : r.status(),
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, renders == 0 ? 0 : renderNanos / 1e3 / renders);
    }
}
