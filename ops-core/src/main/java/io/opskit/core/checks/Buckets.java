package io.opskit.core.checks;

import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Cumulative histogram bucket counts of one or more timers merged on the union of their bucket
 * bounds (nanoseconds), with the total number of samples: what {@link TimerPercentileCheck}
 * keeps per sample of its window and derives a percentile from.
 */
final class Buckets {

    static final Buckets EMPTY = new Buckets(new double[0], new double[0], 0);

    private final double[] bounds;
    private final double[] cumulative;
    private final long total;

    private Buckets(double[] bounds, double[] cumulative, long total) {
        this.bounds = bounds;
        this.cumulative = cumulative;
        this.total = total;
    }

    /** Merges the cumulative bucket counts of several snapshots: per bound, the sum of each one's count at or below it. */
    static Buckets merge(List<HistogramSnapshot> snapshots) {
        TreeSet<Double> union = new TreeSet<>();
        long total = 0;
        for (HistogramSnapshot s : snapshots) {
            for (CountAtBucket c : s.histogramCounts()) {
                union.add(c.bucket());
            }
            total += s.count();
        }
        double[] bounds = union.stream().mapToDouble(Double::doubleValue).toArray();
        double[] cumulative = new double[bounds.length];
        for (HistogramSnapshot s : snapshots) {
            CountAtBucket[] counts = s.histogramCounts();
            int j = 0;
            double last = 0;
            for (int i = 0; i < bounds.length; i++) {
                while (j < counts.length && counts[j].bucket() <= bounds[i]) {
                    last = counts[j].count();
                    j++;
                }
                cumulative[i] += last;
            }
        }
        return new Buckets(bounds, cumulative, total);
    }

    /** Whether some bucket holds fewer samples than in {@code earlier}: the histogram forgets (a time window). */
    boolean anyBucketBelow(Buckets earlier) {
        for (int i = 0; i < earlier.bounds.length; i++) {
            if (cumulativeAt(earlier.bounds[i]) < earlier.cumulative[i]) {
                return true;
            }
        }
        return false;
    }

    /**
     * These buckets with the samples inside them as the total: for a histogram that keeps only a
     * recent window, whose total count (since start) says nothing about the window. Samples above
     * the largest bucket are not seen.
     */
    Buckets inBucketsOnly() {
        long inside = bounds.length == 0 ? 0 : Math.round(cumulative[bounds.length - 1]);
        return new Buckets(bounds, cumulative, inside);
    }

    /** How many samples there are in all. */
    long total() {
        return total;
    }

    /** Whether there are no bucket bounds at all. */
    boolean isEmpty() {
        return bounds.length == 0;
    }

    /** The count of samples at or below {@code bound}, as far as these buckets tell. */
    double cumulativeAt(double bound) {
        int i = Arrays.binarySearch(bounds, bound);
        if (i >= 0) {
            return cumulative[i];
        }
        int below = -i - 2;
        return below < 0 ? 0 : cumulative[below];
    }

    /**
     * The {@code percentile} (0..1) of the samples added since {@code base}, in nanoseconds,
     * interpolated linearly inside its bucket; {@code NaN} when no sample was added. When it lies
     * above the largest bucket, the largest bound is returned as a lower bound and
     * {@link #isAboveLargestBucket} tells so.
     */
    double percentileSince(Buckets base, double percentile) {
        long count = total - base.total;
        if (count <= 0) {
            return Double.NaN;
        }
        double rank = percentile * count;
        double previousBound = 0;
        double previousCount = 0;
        for (int i = 0; i < bounds.length; i++) {
            double c = cumulative[i] - base.cumulativeAt(bounds[i]);
            if (c >= rank) {
                double inBucket = c - previousCount;
                double fraction = inBucket <= 0 ? 1 : (rank - previousCount) / inBucket;
                return previousBound + fraction * (bounds[i] - previousBound);
            }
            previousBound = bounds[i];
            previousCount = c;
        }
        return previousBound;
    }

    /** Whether the {@code percentile} of the samples since {@code base} lies above the largest bucket. */
    boolean isAboveLargestBucket(Buckets base, double percentile) {
        long count = total - base.total;
        return count > 0 && bounds.length > 0
                && cumulative[bounds.length - 1] - base.cumulativeAt(bounds[bounds.length - 1]) < percentile * count;
    }
}
