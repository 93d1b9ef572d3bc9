package io.opskit.core.checks;

import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Heap use as a percentage of the maximum heap: WARN at {@value #DEFAULT_WARN_THRESHOLD}% or more,
 * FAIL at {@value #DEFAULT_FAIL_THRESHOLD}% or more.
 *
 * <p>The heap right now is mostly garbage waiting for the next collection, so the check prefers
 * the heap in use after the most recent garbage collection, as the JVM reports it per heap pool
 * ({@link MemoryPoolMXBean#getCollectionUsage()}); the details say which basis was used
 * ({@code after-gc} or {@code current}). Before the first collection, or on a JVM that does not
 * report it, the current use is judged. When the heap has no maximum, the committed heap is the
 * denominator.
 */
public final class HeapMemoryCheck implements HealthCheck {

    /** The name {@link #registration()} uses. */
    public static final String DEFAULT_NAME = "memory:heap";
    /** Default: WARN at 80% of the maximum heap or more. */
    public static final double DEFAULT_WARN_THRESHOLD = 80.0;
    /** Default: FAIL at 90% of the maximum heap or more. */
    public static final double DEFAULT_FAIL_THRESHOLD = 90.0;

    private final double warnThreshold;
    private final double failThreshold;
    private final boolean preferAfterGc;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).collect(Collectors.toUnmodifiableList());

    private HeapMemoryCheck(Builder b) {
        this.warnThreshold = b.warnThreshold;
        this.failThreshold = b.failThreshold;
        this.preferAfterGc = b.preferAfterGc;
    }

    /** A check with the default thresholds, preferring the heap after GC. */
    public static HeapMemoryCheck create() {
        return builder().build();
    }

    /** Starts a validating builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Result check() {
        MemoryUsage heap = memory.getHeapMemoryUsage();
        long max = heap.getMax() > 0 ? heap.getMax() : heap.getCommitted();
        long afterGc = preferAfterGc ? usedAfterLastGc() : -1;
        return evaluate(afterGc > 0 ? afterGc : heap.getUsed(), max, afterGc > 0, heap.getUsed());
    }

    /** The heap in use after the last collection summed over the heap pools, or -1 when no pool reports it yet. */
    private long usedAfterLastGc() {
        long sum = 0;
        for (MemoryPoolMXBean pool : heapPools) {
            MemoryUsage after = pool.getCollectionUsage();
            if (after != null) {
                sum += after.getUsed();
            }
        }
        // before the first collection every pool reports 0: that is "unknown", not "empty"
        return sum > 0 ? sum : -1;
    }

    /** Judges {@code used} of {@code max} bytes; separate from {@link #check()} so boundaries can be tested exactly. */
    Result evaluate(long used, long max, boolean afterGc, long currentUsed) {
        String basis = afterGc ? "after-gc" : "current";
        if (max <= 0) {
            return Result.warn("the maximum heap is unknown").withDetail("basis", basis).withDetail("usedBytes", used);
        }
        double percent = used * 100.0 / max;
        String what = "heap " + Checks.num(Checks.round2(percent)) + "% used" + (afterGc ? " after the last GC" : "")
                + " (" + Checks.bytes(used) + " of " + Checks.bytes(max) + ")";
        Result result;
        if (percent >= failThreshold) {
            result = Result.fail(what + ", at or above " + Checks.num(failThreshold) + "%");
        } else if (percent >= warnThreshold) {
            result = Result.warn(what + ", at or above " + Checks.num(warnThreshold) + "%");
        } else {
            result = Result.pass(what);
        }
        return result.withObservedValue(Checks.round2(percent), "percent")
                .withDetail("basis", basis).withDetail("usedBytes", used).withDetail("maxBytes", max)
                .withDetail("currentUsedBytes", currentUsed);
    }

    /**
     * This check registered as {@value #DEFAULT_NAME}: readiness, not critical (a full heap shows as
     * WARN on the probe rather than taking every instance out of the load balancer at once),
     * component type {@code system}. Use {@code toBuilder().critical(true)} to change that.
     */
    public CheckRegistration registration() {
        return registration(DEFAULT_NAME);
    }

    /** Like {@link #registration()}, under another name. */
    public CheckRegistration registration(String name) {
        return CheckRegistration.builder(Checks.checkName(name), this).componentType("system")
                .probes(Probe.READINESS).critical(false).build();
    }

    /** WARN at or above this percentage of the maximum heap. */
    public double warnThreshold() {
        return warnThreshold;
    }

    /** FAIL at or above this percentage of the maximum heap. */
    public double failThreshold() {
        return failThreshold;
    }

    /** Whether the heap after the last GC is judged when the JVM reports it. */
    public boolean preferAfterGc() {
        return preferAfterGc;
    }

    @Override
    public String toString() {
        return "HeapMemoryCheck{warn>=" + warnThreshold + "%, fail>=" + failThreshold + "%, afterGc=" + preferAfterGc + '}';
    }

    /** A validating builder of a {@link HeapMemoryCheck}. */
    public static final class Builder {
        private double warnThreshold = DEFAULT_WARN_THRESHOLD;
        private double failThreshold = DEFAULT_FAIL_THRESHOLD;
        private boolean preferAfterGc = true;

        private Builder() {
        }

        /** WARN at or above this percentage of the maximum heap, (0, 100]; default {@value HeapMemoryCheck#DEFAULT_WARN_THRESHOLD}. */
        public Builder warnThreshold(double percent) {
            this.warnThreshold = Checks.percent("warnThreshold", percent, "80.0");
            return this;
        }

        /** FAIL at or above this percentage of the maximum heap, (0, 100]; default {@value HeapMemoryCheck#DEFAULT_FAIL_THRESHOLD}. */
        public Builder failThreshold(double percent) {
            this.failThreshold = Checks.percent("failThreshold", percent, "90.0");
            return this;
        }

        /** Whether to judge the heap after the last GC where the JVM reports it (default) or always the current heap. */
        public Builder preferAfterGc(boolean value) {
            this.preferAfterGc = value;
            return this;
        }

        /**
         * Builds the check.
         *
         * @throws IllegalArgumentException if the warn threshold is above the fail threshold
         */
        public HeapMemoryCheck build() {
            if (warnThreshold > failThreshold) {
                throw new IllegalArgumentException("warnThreshold must not be above failThreshold (" + failThreshold
                        + "), but was " + warnThreshold + ": e.g. warnThreshold(80).failThreshold(90)");
            }
            return new HeapMemoryCheck(this);
        }
    }
}
