package io.opskit.core.checks;

import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The number of live threads against a limit: WARN at {@value #DEFAULT_WARN_THRESHOLD} or more,
 * FAIL at {@value #DEFAULT_FAIL_THRESHOLD} or more by default. A thread count that keeps growing
 * is a leak (an executor per request, a client never closed). The observed value is the live
 * thread count; the details hold the daemon and peak counts.
 */
public final class ThreadCountCheck implements HealthCheck {

    /** The name {@link #registration()} uses. */
    public static final String DEFAULT_NAME = "threads:count";
    /** Default: WARN at 1,000 live threads or more. */
    public static final int DEFAULT_WARN_THRESHOLD = 1000;
    /** Default: FAIL at 2,000 live threads or more. */
    public static final int DEFAULT_FAIL_THRESHOLD = 2000;

    private final int warnThreshold;
    private final int failThreshold;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private ThreadCountCheck(int warnThreshold, int failThreshold) {
        this.warnThreshold = warnThreshold;
        this.failThreshold = failThreshold;
    }

    /** A check with the default thresholds. */
    public static ThreadCountCheck create() {
        return builder().build();
    }

    /** A check that FAILs at {@code limit} live threads and WARNs at 80% of it. */
    public static ThreadCountCheck ofLimit(int limit) {
        Builder b = builder().failThreshold(limit);
        return b.warnThreshold(Math.max(1, (int) (limit * 0.8))).build();
    }

    /** Starts a validating builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Result check() {
        return evaluate(threads.getThreadCount(), threads.getDaemonThreadCount(), threads.getPeakThreadCount());
    }

    /** Judges a thread count; separate from {@link #check()} so boundaries can be tested exactly. */
    Result evaluate(int live, int daemon, int peak) {
        String what = live + " live threads";
        Result result;
        if (live >= failThreshold) {
            result = Result.fail(what + ", at or above the limit of " + failThreshold);
        } else if (live >= warnThreshold) {
            result = Result.warn(what + ", at or above " + warnThreshold + " (limit " + failThreshold + ")");
        } else {
            result = Result.pass(what);
        }
        return result.withObservedValue(live, "threads").withDetail("daemon", daemon).withDetail("peak", peak)
                .withDetail("warnThreshold", warnThreshold).withDetail("failThreshold", failThreshold);
    }

    /**
     * This check registered as {@value #DEFAULT_NAME}: readiness, not critical, component type
     * {@code system}.
     */
    public CheckRegistration registration() {
        return registration(DEFAULT_NAME);
    }

    /** Like {@link #registration()}, under another name. */
    public CheckRegistration registration(String name) {
        return CheckRegistration.builder(Checks.checkName(name), this).componentType("system")
                .probes(Probe.READINESS).critical(false).build();
    }

    /** WARN at or above this many live threads. */
    public int warnThreshold() {
        return warnThreshold;
    }

    /** FAIL at or above this many live threads. */
    public int failThreshold() {
        return failThreshold;
    }

    @Override
    public String toString() {
        return "ThreadCountCheck{warn>=" + warnThreshold + ", fail>=" + failThreshold + '}';
    }

    /** A validating builder of a {@link ThreadCountCheck}. */
    public static final class Builder {
        private int warnThreshold = DEFAULT_WARN_THRESHOLD;
        private int failThreshold = DEFAULT_FAIL_THRESHOLD;

        private Builder() {
        }

        /** WARN at or above this many live threads, at least 1; default {@value ThreadCountCheck#DEFAULT_WARN_THRESHOLD}. */
        public Builder warnThreshold(int count) {
            this.warnThreshold = atLeastOne("warnThreshold", count, "1000");
            return this;
        }

        /** FAIL at or above this many live threads, at least 1; default {@value ThreadCountCheck#DEFAULT_FAIL_THRESHOLD}. */
        public Builder failThreshold(int count) {
            this.failThreshold = atLeastOne("failThreshold", count, "2000");
            return this;
        }

        /**
         * Builds the check.
         *
         * @throws IllegalArgumentException if the warn threshold is above the fail threshold
         */
        public ThreadCountCheck build() {
            if (warnThreshold > failThreshold) {
                throw new IllegalArgumentException("warnThreshold must not be above failThreshold (" + failThreshold
                        + "), but was " + warnThreshold + ": e.g. warnThreshold(800).failThreshold(1000)");
            }
            return new ThreadCountCheck(warnThreshold, failThreshold);
        }

        private static int atLeastOne(String field, int value, String example) {
            if (value < 1) {
                throw new IllegalArgumentException(field + " must be at least 1 thread, but was " + value + ": use e.g. " + example);
            }
            return value;
        }
    }
}
