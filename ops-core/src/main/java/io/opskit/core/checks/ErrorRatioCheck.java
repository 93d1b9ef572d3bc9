package io.opskit.core.checks;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The share of requests that failed over a sliding window (the runbooks' "error rate &lt; 1%"):
 * PASS under {@value #DEFAULT_WARN_THRESHOLD}%, WARN under {@value #DEFAULT_FAIL_THRESHOLD}%, FAIL at
 * or above, once at least {@value #DEFAULT_MIN_REQUESTS} requests were seen in the window (fewer
 * say nothing and PASS).
 *
 * <p>It reads two cumulative counts, requests and errors, on every run and keeps a small ring of
 * timed samples, so the ratio is the change over the last {@link #DEFAULT_WINDOW 5 minutes}, not
 * everything since the process started. Until a window has passed since the check was created,
 * the window is the time since then. A count that goes backwards (a meter removed and
 * registered again) starts the window again.
 *
 * <pre>{@code
 * ops.register(ErrorRatioCheck.forHttpServerRequests(registry).registration());
 * ops.register(ErrorRatioCheck.builder(() -> (long) requests.count(), () -> (long) failures.count())
 *         .warnThreshold(0.5).failThreshold(2).window(Duration.ofMinutes(10)).build().registration("orders:errorRatio"));
 * }</pre>
 *
 * <p>Counts must be cumulative, as Micrometer's Prometheus and simple registries keep them (a
 * step registry's per-step counts would be mistaken for resets).
 */
public final class ErrorRatioCheck implements HealthCheck {

    /** The timer that the servlet and HTTP server instrumentation of Micrometer and opskit record. */
    public static final String HTTP_SERVER_REQUESTS = "http.server.requests";
    /** The name {@link #registration()} uses for a pair of suppliers. */
    public static final String DEFAULT_NAME = "requests:errorRatio";
    /** Default window: the last 5 minutes. */
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
    /** Default: WARN at 1% errors or more. */
    public static final double DEFAULT_WARN_THRESHOLD = 1.0;
    /** Default: FAIL at 5% errors or more. */
    public static final double DEFAULT_FAIL_THRESHOLD = 5.0;
    /** Default: judge only once at least 50 requests were seen in the window. */
    public static final long DEFAULT_MIN_REQUESTS = 50;

    /** Samples kept per window: a bound on memory however often the check runs. */
    static final int SAMPLES = 64;

    /** One reading of the two cumulative counts. */
    record Counts(long total, long errors) {
    }

    private final Supplier<Counts> source;
    private final String sourceName;
    private final String defaultName;
    private final Duration window;
    private final double warnThreshold;
    private final double failThreshold;
    private final long minRequests;
    private final LongSupplier ticker;
    private final SlidingWindow<Counts> samples;
    /** The counts of the previous run, kept in the ring or not: what "went backwards" is judged against. */
    private Counts lastSeen;

    private ErrorRatioCheck(Builder b) {
        this.source = b.source;
        this.sourceName = b.sourceName;
        this.defaultName = b.defaultName;
        this.window = b.window;
        this.warnThreshold = b.warnThreshold;
        this.failThreshold = b.failThreshold;
        this.minRequests = b.minRequests;
        this.ticker = b.ticker;
        this.samples = new SlidingWindow<>(window, SAMPLES);
        // the window starts now: what happened before the check existed is not judged
        lastSeen = source.get();
        samples.record(ticker.getAsLong(), lastSeen);
    }

    /**
     * A check of Micrometer's {@value #HTTP_SERVER_REQUESTS} timer with the defaults: every timer of
     * that name counts as requests, those tagged {@code outcome=SERVER_ERROR} or with a
     * {@code status} of 5xx as errors.
     */
    public static ErrorRatioCheck forHttpServerRequests(MeterRegistry registry) {
        return httpServerRequests(registry).build();
    }

    /** A builder preset for Micrometer's {@value #HTTP_SERVER_REQUESTS} timer, as {@link #forHttpServerRequests}. */
    public static Builder httpServerRequests(MeterRegistry registry) {
        return timer(registry, HTTP_SERVER_REQUESTS);
    }

    /**
     * A builder reading every timer named {@code timerName}: all of them count as requests, those
     * tagged {@code outcome=SERVER_ERROR} or with a {@code status} tag of 5xx as errors.
     */
    public static Builder timer(MeterRegistry registry, String timerName) {
        Objects.requireNonNull(registry, "registry must not be null: pass the application's MeterRegistry");
        if (timerName == null || timerName.isBlank()) {
            throw new IllegalArgumentException("timerName must not be blank, but was '" + timerName
                    + "': use e.g. \"" + HTTP_SERVER_REQUESTS + "\"");
        }
        return new Builder(() -> read(registry, timerName), timerName, Checks.componentOf(timerName) + ":errorRatio");
    }

    /** A builder reading two cumulative counts: all requests, and the failed ones among them. */
    public static Builder builder(LongSupplier totalRequests, LongSupplier errors) {
        Objects.requireNonNull(totalRequests, "totalRequests must not be null: use e.g. () -> (long) requestCounter.count()");
        Objects.requireNonNull(errors, "errors must not be null: use e.g. () -> (long) errorCounter.count()");
        return new Builder(() -> new Counts(totalRequests.getAsLong(), errors.getAsLong()), "requests", DEFAULT_NAME);
    }

    private static Counts read(MeterRegistry registry, String timerName) {
        long total = 0;
        long errors = 0;
        for (Timer timer : registry.find(timerName).timers()) {
            long count = timer.count();
            total += count;
            if (isServerError(timer.getId())) {
                errors += count;
            }
        }
        return new Counts(total, errors);
    }

    /** {@code outcome=SERVER_ERROR} (Micrometer's convention) or a {@code status} tag of 5xx. */
    static boolean isServerError(Meter.Id id) {
        if ("SERVER_ERROR".equals(id.getTag("outcome"))) {
            return true;
        }
        String status = id.getTag("status");
        return status != null && status.length() == 3 && status.charAt(0) == '5'
                && Character.isDigit(status.charAt(1)) && Character.isDigit(status.charAt(2));
    }

    @Override
    public synchronized Result check() {
        long now = ticker.getAsLong();
        Counts current = source.get();
        Optional<SlidingWindow.Sample<Counts>> baseline = samples.baseline(now);
        Counts previous = lastSeen;
        lastSeen = current;
        if (baseline.isEmpty() || current.total() < previous.total() || current.errors() < previous.errors()) {
            samples.reset(now, current);
            return Result.pass("the counts of " + sourceName + " went backwards (a meter was removed or reset): measuring again from now")
                    .withObservedValue(0.0, "percent").withDetail("requests", 0L).withDetail("errors", 0L);
        }
        samples.record(now, current);
        Counts base = baseline.get().value();
        long requests = current.total() - base.total();
        long errors = current.errors() - base.errors();
        Duration span = Duration.ofNanos(now - baseline.get().nanos());
        double percent = requests == 0 ? 0 : Math.min(100.0, errors * 100.0 / requests);
        String what = errors + " errors in " + requests + " " + sourceName + " in the last " + Checks.duration(span);
        Result result;
        if (requests < minRequests) {
            result = Result.pass("only " + what + ": fewer than the " + minRequests + " requests needed to judge");
        } else if (percent >= failThreshold) {
            result = Result.fail("error ratio " + Checks.num(Checks.round2(percent)) + "% (" + what + "), at or above "
                    + Checks.num(failThreshold) + "%");
        } else if (percent >= warnThreshold) {
            result = Result.warn("error ratio " + Checks.num(Checks.round2(percent)) + "% (" + what + "), at or above "
                    + Checks.num(warnThreshold) + "%");
        } else {
            result = Result.pass("error ratio " + Checks.num(Checks.round2(percent)) + "% (" + what + ")");
        }
        return result.withObservedValue(Checks.round2(percent), "percent")
                .withDetail("requests", requests).withDetail("errors", errors)
                .withDetail("windowSeconds", span.toSeconds()).withDetail("minRequests", minRequests);
    }

    /**
     * This check registered as {@code <timer>:errorRatio} (e.g. {@code http.server.requests:errorRatio}),
     * or {@value #DEFAULT_NAME} for a pair of suppliers: readiness, not critical (an error burst,
     * often a dependency's, should not take every instance out of the load balancer at once),
     * component type {@code system}.
     */
    public CheckRegistration registration() {
        return registration(defaultName);
    }

    /** Like {@link #registration()}, under another name. */
    public CheckRegistration registration(String name) {
        return CheckRegistration.builder(Checks.checkName(name), this).componentType("system")
                .probes(Probe.READINESS).critical(false).build();
    }

    /** How many samples the ring holds now; for tests of its bound. */
    synchronized int sampleCount() {
        return samples.size();
    }

    /** The window the ratio is taken over. */
    public Duration window() {
        return window;
    }

    /** WARN at or above this error percentage. */
    public double warnThreshold() {
        return warnThreshold;
    }

    /** FAIL at or above this error percentage. */
    public double failThreshold() {
        return failThreshold;
    }

    /** The fewest requests in a window that are judged. */
    public long minRequests() {
        return minRequests;
    }

    @Override
    public String toString() {
        return "ErrorRatioCheck{" + sourceName + ", window=" + window + ", warn>=" + warnThreshold + "%, fail>="
                + failThreshold + "%, min=" + minRequests + '}';
    }

    /** A validating builder of an {@link ErrorRatioCheck}. */
    public static final class Builder {
        private final Supplier<Counts> source;
        private final String sourceName;
        private final String defaultName;
        private Duration window = DEFAULT_WINDOW;
        private double warnThreshold = DEFAULT_WARN_THRESHOLD;
        private double failThreshold = DEFAULT_FAIL_THRESHOLD;
        private long minRequests = DEFAULT_MIN_REQUESTS;
        private LongSupplier ticker = System::nanoTime;

        private Builder(Supplier<Counts> source, String sourceName, String defaultName) {
            this.source = source;
            this.sourceName = sourceName;
            this.defaultName = defaultName;
        }

        /** The sliding window the ratio is taken over; positive; default 5 minutes. */
        public Builder window(Duration value) {
            this.window = Checks.positive("window", value, "Duration.ofMinutes(5)");
            return this;
        }

        /** WARN at or above this error percentage, (0, 100]; default {@value ErrorRatioCheck#DEFAULT_WARN_THRESHOLD}. */
        public Builder warnThreshold(double percent) {
            this.warnThreshold = Checks.percent("warnThreshold", percent, "1.0");
            return this;
        }

        /** FAIL at or above this error percentage, (0, 100]; default {@value ErrorRatioCheck#DEFAULT_FAIL_THRESHOLD}. */
        public Builder failThreshold(double percent) {
            this.failThreshold = Checks.percent("failThreshold", percent, "5.0");
            return this;
        }

        /** Judge only when at least this many requests were seen in the window, at least 1; default {@value ErrorRatioCheck#DEFAULT_MIN_REQUESTS}. */
        public Builder minRequests(long count) {
            if (count < 1) {
                throw new IllegalArgumentException("minRequests must be at least 1, but was " + count
                        + ": use e.g. 50, so that 1 error in 2 requests is not an outage");
            }
            this.minRequests = count;
            return this;
        }

        /** The monotonic clock in nanoseconds (default {@code System::nanoTime}); tests pass their own. */
        public Builder ticker(LongSupplier nanoTime) {
            this.ticker = Objects.requireNonNull(nanoTime, "ticker must not be null: use System::nanoTime");
            return this;
        }

        /**
         * Builds the check and takes its first sample: the window starts now.
         *
         * @throws IllegalArgumentException if the warn threshold is above the fail threshold
         */
        public ErrorRatioCheck build() {
            if (warnThreshold > failThreshold) {
                throw new IllegalArgumentException("warnThreshold must not be above failThreshold (" + failThreshold
                        + "), but was " + warnThreshold + ": e.g. warnThreshold(1).failThreshold(5)");
            }
            return new ErrorRatioCheck(this);
        }
    }
}
