package io.opskit.core.checks;

import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * CPU load of this process, as a percentage of all available processors: WARN at
 * {@value #DEFAULT_WARN_THRESHOLD}% or more, FAIL only if a fail threshold is set (by default high
 * CPU is a warning, not a failure).
 *
 * <p>By default only this process's CPU is judged: neighbours loading the host (other containers,
 * a backup, a build) say nothing about this instance, and a check that warns on them warns on
 * every instance at once. The system (or container) CPU stays in the details; judging it too is
 * opt-in ({@link Builder#judgeSystemCpu(boolean)}), and then the higher of the two is judged.
 *
 * <p>Reads {@code com.sun.management.OperatingSystemMXBean} (process and system load) when the
 * runtime has it; otherwise it reports the system load average in the details and passes, saying
 * that the load is not available. The observed value is the load judged; the details hold both
 * loads, the load average and the processor count. One reading is an instant: pair the
 * registration with a {@code failureThreshold} to ignore short spikes.
 */
public final class CpuLoadCheck implements HealthCheck {

    /** The name {@link #registration()} uses. */
    public static final String DEFAULT_NAME = "cpu:load";
    /** Default: WARN at 70% CPU or more. */
    public static final double DEFAULT_WARN_THRESHOLD = 70.0;

    private final double warnThreshold;
    private final OptionalDouble failThreshold;
    private final boolean judgeSystem;
    private final Supplier<CpuReading> sensor;

    private CpuLoadCheck(Builder b) {
        this.warnThreshold = b.warnThreshold;
        this.failThreshold = b.failThreshold;
        this.judgeSystem = b.judgeSystem;
        this.sensor = b.sensor == null ? PlatformCpu.sensor() : b.sensor;
    }

    /** A check with the defaults: this process's CPU, WARN at 70%, never FAIL. */
    public static CpuLoadCheck create() {
        return builder().build();
    }

    /** Starts a validating builder. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Result check() {
        CpuReading r = sensor.get();
        boolean hasProcess = r.process() >= 0;
        boolean hasSystem = r.system() >= 0;
        double process = hasProcess ? r.process() * 100 : -1;
        double system = hasSystem ? r.system() * 100 : -1;
        Result result;
        if (!hasProcess && !hasSystem) {
            result = Result.pass("CPU load is not reported by this JVM");
        } else if (!hasProcess && !judgeSystem) {
            result = Result.pass("process CPU load is not reported by this JVM; system CPU load "
                    + Checks.num(Checks.round2(system)) + "% is not judged (judgeSystemCpu(true) judges it)");
        } else {
            boolean systemIsJudged = judgeSystem && system > process;
            double judged = systemIsJudged ? system : process;
            String what = (systemIsJudged ? "system" : "process") + " CPU load " + Checks.num(Checks.round2(judged)) + "%";
            if (failThreshold.isPresent() && judged >= failThreshold.getAsDouble()) {
                result = Result.fail(what + ", at or above " + Checks.num(failThreshold.getAsDouble()) + "%");
            } else if (judged >= warnThreshold) {
                result = Result.warn(what + ", at or above " + Checks.num(warnThreshold) + "%");
            } else {
                result = Result.pass(what + (judgeSystem || !hasSystem ? "" : " (system " + Checks.num(Checks.round2(system))
                        + "%, not judged)"));
            }
            result = result.withObservedValue(Checks.round2(judged), "percent");
        }
        if (hasProcess) {
            result = result.withDetail("processCpuPercent", Checks.round2(process));
        }
        if (hasSystem) {
            result = result.withDetail("systemCpuPercent", Checks.round2(system));
        }
        result = result.withDetail("judges", judgeSystem ? "process and system" : "process");
        if (r.loadAverage() >= 0) {
            result = result.withDetail("systemLoadAverage", Checks.round2(r.loadAverage()));
        }
        return result.withDetail("availableProcessors", r.processors());
    }

    /**
     * This check registered as {@value #DEFAULT_NAME}: readiness, not critical (busy CPUs are a
     * signal, not a reason to take every instance out of the load balancer), component type
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

    /** WARN at or above this CPU percentage. */
    public double warnThreshold() {
        return warnThreshold;
    }

    /** FAIL at or above this CPU percentage, if set. */
    public OptionalDouble failThreshold() {
        return failThreshold;
    }

    /** Whether the system CPU is judged too (otherwise only this process's CPU is). */
    public boolean judgesSystemCpu() {
        return judgeSystem;
    }

    @Override
    public String toString() {
        return "CpuLoadCheck{warn>=" + warnThreshold + "%" + (failThreshold.isPresent() ? ", fail>=" + failThreshold.getAsDouble() + "%" : "")
                + (judgeSystem ? ", judges system CPU too" : "") + '}';
    }

    /** A validating builder of a {@link CpuLoadCheck}. */
    public static final class Builder {
        private double warnThreshold = DEFAULT_WARN_THRESHOLD;
        private OptionalDouble failThreshold = OptionalDouble.empty();
        private boolean judgeSystem;
        private Supplier<CpuReading> sensor;

        private Builder() {
        }

        /** WARN at or above this CPU percentage, (0, 100]; default {@value CpuLoadCheck#DEFAULT_WARN_THRESHOLD}. */
        public Builder warnThreshold(double percent) {
            this.warnThreshold = Checks.percent("warnThreshold", percent, "70.0");
            return this;
        }

        /** FAIL at or above this CPU percentage, (0, 100]; by default the check never fails. */
        public Builder failThreshold(double percent) {
            this.failThreshold = OptionalDouble.of(Checks.percent("failThreshold", percent, "95.0"));
            return this;
        }

        /**
         * Whether to judge the system (or container) CPU too, the higher of it and the process's
         * CPU deciding; default {@code false}: only this process's CPU is judged, because a host
         * loaded by its neighbours would otherwise warn on every instance at once. Turn it on where
         * the instance owns its host or container.
         */
        public Builder judgeSystemCpu(boolean value) {
            this.judgeSystem = value;
            return this;
        }

        /** For tests: where readings come from. */
        Builder sensor(Supplier<CpuReading> value) {
            this.sensor = Objects.requireNonNull(value, "sensor");
            return this;
        }

        /**
         * Builds the check.
         *
         * @throws IllegalArgumentException if the fail threshold is below the warn threshold
         */
        public CpuLoadCheck build() {
            if (failThreshold.isPresent() && failThreshold.getAsDouble() < warnThreshold) {
                throw new IllegalArgumentException("failThreshold must not be below warnThreshold (" + warnThreshold
                        + "), but was " + failThreshold.getAsDouble() + ": e.g. warnThreshold(70).failThreshold(95)");
            }
            return new CpuLoadCheck(this);
        }
    }
}
