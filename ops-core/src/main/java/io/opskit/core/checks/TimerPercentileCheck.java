package io.opskit.core.checks;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A percentile of a Micrometer {@link Timer} against thresholds: the runbooks' "p95 response time
 * &lt; 200 ms". The observed value is the percentile in milliseconds. A timer that is not
 * registered yet, or has no samples, PASSes with "no samples yet": a fresh application is not failing.
 *
 * <pre>{@code
 * ops.register(TimerPercentileCheck.builder(registry, "http.server.requests")
 *         .percentile(0.95).warnThreshold(Duration.ofMillis(150)).failThreshold(Duration.ofMillis(200))
 *         .build().registration());
 * }</pre>
 *
 * <p><b>The timer must publish what is judged</b>, in one of two ways:
 * <ul>
 *   <li>{@code Timer.builder(name).publishPercentiles(0.95)} (or a {@code MeterFilter} that sets
 *       {@code percentiles} on its {@code DistributionStatisticConfig}): the percentile computed
 *       in the application over Micrometer's decaying window (2 minutes by default). Used when
 *       published for exactly this percentile. Across several timers of the name and tags
 *       (e.g. one per URI), the worst is taken: percentiles cannot be added.</li>
 *   <li>{@code publishPercentileHistogram()} or {@code serviceLevelObjectives(...)}: cumulative
 *       bucket counts. The check merges the buckets of all matching timers, keeps a small ring of
 *       samples and derives the percentile of the samples recorded over its own window
 *       ({@link #DEFAULT_HISTOGRAM_WINDOW 5 minutes} by default) by linear interpolation in the
 *       bucket, so it is as precise as the buckets are fine. This is how Prometheus keeps buckets
 *       (cumulative since start). A registry whose buckets keep only a recent window (the simple
 *       registry keeps SLO buckets so, and ignores {@code publishPercentileHistogram()}) is noticed
 *       when a bucket loses samples; from then on its buckets are judged as reported (detail
 *       {@code source=histogram-window}), seeing only samples up to the largest bucket.</li>
 * </ul>
 * A timer with samples but neither is reported as WARN saying how to configure it.
 */
public final class TimerPercentileCheck implements HealthCheck {

    /** Default percentile: the 95th. */
    public static final double DEFAULT_PERCENTILE = 0.95;
    /** Default window over which a percentile is derived from histogram buckets: the last 5 minutes. */
    public static final Duration DEFAULT_HISTOGRAM_WINDOW = Duration.ofMinutes(5);

    private static final double SAME_PERCENTILE = 1e-9;

    private final MeterRegistry registry;
    private final String timerName;
    private final Tags tags;
    private final double percentile;
    private final Optional<Duration> warnThreshold;
    private final Optional<Duration> failThreshold;
    private final Duration histogramWindow;
    private final LongSupplier ticker;
    private final SlidingWindow<Buckets> histogramSamples;
    /** Set once the buckets are seen to forget samples: from then on they are judged as reported. */
    private boolean decaying;
    /** The buckets of the previous run, kept or not in the ring: what a forgetting bucket is noticed against. */
    private Buckets lastSeen;

    private TimerPercentileCheck(Builder b) {
        this.registry = b.registry;
        this.timerName = b.timerName;
        this.tags = b.tags;
        this.percentile = b.percentile;
        this.warnThreshold = b.warnThreshold;
        this.failThreshold = b.failThreshold;
        this.histogramWindow = b.histogramWindow;
        this.ticker = b.ticker;
        this.histogramSamples = new SlidingWindow<>(histogramWindow, ErrorRatioCheck.SAMPLES);
        // the histogram window starts now
        lastSeen = Buckets.merge(snapshots(find()));
        histogramSamples.record(ticker.getAsLong(), lastSeen);
    }

    /** Starts a check of the timers named {@code timerName} in {@code registry}. */
    public static Builder builder(MeterRegistry registry, String timerName) {
        return new Builder(registry, timerName);
    }

    private Collection<Timer> find() {
        return registry.find(timerName).tags(tags).timers();
    }

    private static List<HistogramSnapshot> snapshots(Collection<Timer> timers) {
        List<HistogramSnapshot> out = new ArrayList<>(timers.size());
        for (Timer t : timers) {
            out.add(t.takeSnapshot());
        }
        return out;
    }

    @Override
    public synchronized Result check() {
        Collection<Timer> timers = find();
        long count = 0;
        for (Timer t : timers) {
            count += t.count();
        }
        if (timers.isEmpty() || count == 0) {
            return describe(Result.pass("no samples yet" + (timers.isEmpty() ? ": no timer " + which() + " is registered" : "")),
                    timers.size(), 0L);
        }
        List<HistogramSnapshot> snapshots = snapshots(timers);
        double worstPublished = -1;
        for (HistogramSnapshot s : snapshots) {
            for (ValueAtPercentile v : s.percentileValues()) {
                if (Math.abs(v.percentile() - percentile) < SAME_PERCENTILE) {
                    worstPublished = Math.max(worstPublished, v.value(TimeUnit.MILLISECONDS));
                }
            }
        }
        if (worstPublished >= 0) {
            return describe(judge(worstPublished, ""), timers.size(), count).withDetail("source", "published-percentile");
        }
        return fromHistogram(Buckets.merge(snapshots), timers.size());
    }

    private Result fromHistogram(Buckets current, int timerCount) {
        if (current.isEmpty()) {
            return describe(Result.warn("timer " + which() + " publishes neither the " + label() + " nor a histogram: build it with "
                    + "publishPercentiles(" + Checks.num(percentile) + ") or publishPercentileHistogram()"), timerCount, current.total());
        }
        long now = ticker.getAsLong();
        Buckets latest = lastSeen;
        lastSeen = current;
        if (!decaying && current.total() >= latest.total() && current.anyBucketBelow(latest)) {
            decaying = true; // more samples in all, fewer in a bucket: the registry's buckets keep only a window
        }
        if (decaying) {
            return fromDecayingHistogram(current.inBucketsOnly(), timerCount);
        }
        Buckets base = histogramSamples.baseline(now).map(SlidingWindow.Sample::value).orElse(Buckets.EMPTY);
        if (current.total() < latest.total()) {
            histogramSamples.reset(now, current);
            base = Buckets.EMPTY; // the timers were reset: judge what they hold now
        } else {
            histogramSamples.record(now, current);
        }
        long count = current.total() - base.total();
        if (count == 0) {
            return describe(Result.pass("no samples in the last " + Checks.duration(histogramWindow)), timerCount, 0L)
                    .withDetail("source", "histogram");
        }
        double millis = current.percentileSince(base, percentile) / 1_000_000.0;
        boolean above = current.isAboveLargestBucket(base, percentile);
        return describe(judge(millis, above ? "at least " : ""), timerCount, count).withDetail("source", "histogram");
    }

    /** Buckets that hold only the registry's own recent window (the simple registry's): judged as they are. */
    private Result fromDecayingHistogram(Buckets window, int timerCount) {
        if (window.total() == 0) {
            return describe(Result.pass("no samples in the histogram's recent window"), timerCount, 0L)
                    .withDetail("source", "histogram-window");
        }
        double millis = window.percentileSince(Buckets.EMPTY, percentile) / 1_000_000.0;
        return describe(judge(millis, ""), timerCount, window.total()).withDetail("source", "histogram-window");
    }

    private Result judge(double millis, String qualifier) {
        String what = label() + " of " + which() + " is " + qualifier + Checks.num(round3(millis)) + " ms";
        Result result;
        if (failThreshold.isPresent() && millis >= failThreshold.get().toNanos() / 1e6) {
            result = Result.fail(what + ", at or above " + Checks.num(failThreshold.get().toNanos() / 1e6) + " ms");
        } else if (warnThreshold.isPresent() && millis >= warnThreshold.get().toNanos() / 1e6) {
            result = Result.warn(what + ", at or above " + Checks.num(warnThreshold.get().toNanos() / 1e6) + " ms");
        } else {
            result = Result.pass(what);
        }
        return result.withObservedValue(round3(millis), "ms");
    }

    private Result describe(Result r, int timers, long samples) {
        Result out = r.withDetail("timer", timerName).withDetail("percentile", percentile)
                .withDetail("timers", timers).withDetail("samples", samples);
        if (tags.iterator().hasNext()) {
            out = out.withDetail("tags", tags.toString());
        }
        if (warnThreshold.isPresent()) {
            out = out.withDetail("warnThresholdMs", warnThreshold.get().toNanos() / 1e6);
        }
        if (failThreshold.isPresent()) {
            out = out.withDetail("failThresholdMs", failThreshold.get().toNanos() / 1e6);
        }
        return out;
    }

    private String label() {
        return "p" + Checks.num(percentile * 100);
    }

    private String which() {
        StringBuilder sb = new StringBuilder("'").append(timerName).append('\'');
        for (Tag t : tags) {
            sb.append(' ').append(t.getKey()).append('=').append(t.getValue());
        }
        return sb.toString();
    }

    private static double round3(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }

    /**
     * This check registered as {@code <timer>:p<percentile>} (e.g. {@code http.server.requests:p95}):
     * readiness, not critical (slow responses show as WARN on the probe rather than taking every
     * instance out of the load balancer at once), component type {@code system}.
     */
    public CheckRegistration registration() {
        return registration(Checks.componentOf(timerName) + ":" + label());
    }

    /** Like {@link #registration()}, under another name. */
    public CheckRegistration registration(String name) {
        return CheckRegistration.builder(Checks.checkName(name), this).componentType("system")
                .probes(Probe.READINESS).critical(false).build();
    }

    /** The name of the timers read. */
    public String timerName() {
        return timerName;
    }

    /** The tags the timers must have. */
    public Tags tags() {
        return tags;
    }

    /** The percentile judged, in (0, 1). */
    public double percentile() {
        return percentile;
    }

    /** WARN at or above this value of the percentile, if set. */
    public Optional<Duration> warnThreshold() {
        return warnThreshold;
    }

    /** FAIL at or above this value of the percentile, if set. */
    public Optional<Duration> failThreshold() {
        return failThreshold;
    }

    /** The window over which a percentile is derived from histogram buckets. */
    public Duration histogramWindow() {
        return histogramWindow;
    }

    @Override
    public String toString() {
        return "TimerPercentileCheck{" + which() + ", " + label() + ", warn=" + warnThreshold.orElse(null) + ", fail="
                + failThreshold.orElse(null) + '}';
    }

    /** A validating builder of a {@link TimerPercentileCheck}; at least one threshold is required. */
    public static final class Builder {
        private final MeterRegistry registry;
        private final String timerName;
        private Tags tags = Tags.empty();
        private double percentile = DEFAULT_PERCENTILE;
        private Optional<Duration> warnThreshold = Optional.empty();
        private Optional<Duration> failThreshold = Optional.empty();
        private Duration histogramWindow = DEFAULT_HISTOGRAM_WINDOW;
        private LongSupplier ticker = System::nanoTime;

        private Builder(MeterRegistry registry, String timerName) {
            this.registry = Objects.requireNonNull(registry, "registry must not be null: pass the application's MeterRegistry");
            if (timerName == null || timerName.isBlank()) {
                throw new IllegalArgumentException("timerName must not be blank, but was '" + timerName
                        + "': use e.g. \"http.server.requests\"");
            }
            this.timerName = timerName;
        }

        /** Only timers with these tags, given as key/value pairs, e.g. {@code tags("uri", "/orders", "method", "GET")}. */
        public Builder tags(String... keyValues) {
            if (keyValues == null || keyValues.length % 2 != 0) {
                throw new IllegalArgumentException("tags must be key/value pairs, but was "
                        + (keyValues == null ? "null" : keyValues.length + " strings") + ": use e.g. tags(\"uri\", \"/orders\")");
            }
            this.tags = this.tags.and(keyValues);
            return this;
        }

        /** Only timers with these tags. */
        public Builder tags(Iterable<Tag> more) {
            this.tags = this.tags.and(Objects.requireNonNull(more, "tags must not be null: use Tags.empty()"));
            return this;
        }

        /** The percentile to judge, strictly between 0 and 1; default {@value TimerPercentileCheck#DEFAULT_PERCENTILE}. */
        public Builder percentile(double value) {
            if (Double.isNaN(value) || value <= 0 || value >= 1) {
                throw new IllegalArgumentException("percentile must be strictly between 0 and 1, but was " + value
                        + ": use e.g. 0.95 for p95 or 0.99 for p99");
            }
            this.percentile = value;
            return this;
        }

        /** WARN when the percentile is at or above this duration; positive. */
        public Builder warnThreshold(Duration value) {
            this.warnThreshold = Optional.of(Checks.positive("warnThreshold", value, "Duration.ofMillis(150)"));
            return this;
        }

        /** FAIL when the percentile is at or above this duration; positive. */
        public Builder failThreshold(Duration value) {
            this.failThreshold = Optional.of(Checks.positive("failThreshold", value, "Duration.ofMillis(200)"));
            return this;
        }

        /** The window over which a percentile is derived from histogram buckets; positive; default 5 minutes. */
        public Builder histogramWindow(Duration value) {
            this.histogramWindow = Checks.positive("histogramWindow", value, "Duration.ofMinutes(5)");
            return this;
        }

        /** The monotonic clock in nanoseconds (default {@code System::nanoTime}); tests pass their own. */
        public Builder ticker(LongSupplier nanoTime) {
            this.ticker = Objects.requireNonNull(nanoTime, "ticker must not be null: use System::nanoTime");
            return this;
        }

        /**
         * Builds the check.
         *
         * @throws IllegalArgumentException without any threshold, or with the warn threshold above the fail threshold
         */
        public TimerPercentileCheck build() {
            if (warnThreshold.isEmpty() && failThreshold.isEmpty()) {
                throw new IllegalArgumentException("failThreshold and warnThreshold of timer '" + timerName
                        + "' are both unset: set at least one, e.g. failThreshold(Duration.ofMillis(200))");
            }
            if (warnThreshold.isPresent() && failThreshold.isPresent() && warnThreshold.get().compareTo(failThreshold.get()) > 0) {
                throw new IllegalArgumentException("warnThreshold must not be above failThreshold (" + failThreshold.get()
                        + "), but was " + warnThreshold.get() + ": e.g. warnThreshold(Duration.ofMillis(150)).failThreshold(Duration.ofMillis(200))");
            }
            return new TimerPercentileCheck(this);
        }
    }
}
