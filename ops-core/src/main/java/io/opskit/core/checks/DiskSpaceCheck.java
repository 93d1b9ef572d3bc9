package io.opskit.core.checks;

import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Free space of the file store that holds one path: WARN under {@value #DEFAULT_WARN_BELOW_FREE_PERCENT}%
 * free, FAIL under {@value #DEFAULT_FAIL_BELOW_FREE_PERCENT}% free or under a floor of free bytes
 * (10 MiB by default). Free means usable by this JVM ({@link FileStore#getUsableSpace()}).
 * The observed value is the free percentage; the details hold the path and the free and total bytes.
 *
 * <pre>{@code
 * ops.register(DiskSpaceCheck.builder(Path.of("/var/lib/app")).failBelowFreeBytes(1L << 30).build()
 *         .registration("disk:data"));
 * }</pre>
 */
public final class DiskSpaceCheck implements HealthCheck {

    /** The name {@link #registration()} uses; register one check per path under its own name, e.g. {@code disk:data}. */
    public static final String DEFAULT_NAME = "disk:space";
    /** Default: WARN when less than 20% of the file store is free. */
    public static final double DEFAULT_WARN_BELOW_FREE_PERCENT = 20.0;
    /** Default: FAIL when less than 5% of the file store is free. */
    public static final double DEFAULT_FAIL_BELOW_FREE_PERCENT = 5.0;
    /** Default: FAIL when less than 10 MiB are free, whatever the percentage. */
    public static final long DEFAULT_FAIL_BELOW_FREE_BYTES = 10L * 1024 * 1024;

    private final Path path;
    private final double warnBelowFreePercent;
    private final double failBelowFreePercent;
    private final long failBelowFreeBytes;

    private DiskSpaceCheck(Builder b) {
        this.path = b.path;
        this.warnBelowFreePercent = b.warnBelowFreePercent;
        this.failBelowFreePercent = b.failBelowFreePercent;
        this.failBelowFreeBytes = b.failBelowFreeBytes;
    }

    /** A check of {@code path} with the default thresholds. */
    public static DiskSpaceCheck of(Path path) {
        return builder(path).build();
    }

    /** Starts a check of the file store that holds {@code path} (which need not exist yet). */
    public static Builder builder(Path path) {
        return new Builder(path);
    }

    @Override
    public Result check() throws IOException {
        FileStore store;
        try {
            store = Files.getFileStore(path);
        } catch (NoSuchFileException e) {
            return Result.fail("path " + path + " does not exist").withDetail("path", path.toString());
        }
        return evaluate(store.getUsableSpace(), store.getTotalSpace());
    }

    /** Judges {@code free} of {@code total} bytes; separate from {@link #check()} so boundaries can be tested exactly. */
    Result evaluate(long free, long total) {
        if (total <= 0) {
            return Result.warn("the size of the file store of " + path + " is unknown")
                    .withDetail("path", path.toString()).withDetail("freeBytes", free).withDetail("totalBytes", total);
        }
        double freePercent = free * 100.0 / total;
        String what = Checks.num(Checks.round2(freePercent)) + "% free on " + path + " (" + Checks.bytes(free)
                + " of " + Checks.bytes(total) + ")";
        Result result;
        if (free < failBelowFreeBytes) {
            result = Result.fail(what + ", under the floor of " + Checks.bytes(failBelowFreeBytes));
        } else if (freePercent < failBelowFreePercent) {
            result = Result.fail(what + ", under " + Checks.num(failBelowFreePercent) + "%");
        } else if (freePercent < warnBelowFreePercent) {
            result = Result.warn(what + ", under " + Checks.num(warnBelowFreePercent) + "%");
        } else {
            result = Result.pass(what);
        }
        return result.withObservedValue(Checks.round2(freePercent), "percent")
                .withDetail("path", path.toString()).withDetail("freeBytes", free).withDetail("totalBytes", total);
    }

    /** This check registered as {@value #DEFAULT_NAME}: readiness, critical, component type {@code system}. */
    public CheckRegistration registration() {
        return registration(DEFAULT_NAME);
    }

    /**
     * This check registered under {@code name} (e.g. {@code disk:data}): readiness, critical, component type
     * {@code system}. A full disk is not cured by a restart, so it is not a liveness check.
     */
    public CheckRegistration registration(String name) {
        return CheckRegistration.builder(Checks.checkName(name), this).componentType("system").probes(Probe.READINESS).build();
    }

    /** The path whose file store is checked. */
    public Path path() {
        return path;
    }

    /** WARN below this free percentage. */
    public double warnBelowFreePercent() {
        return warnBelowFreePercent;
    }

    /** FAIL below this free percentage. */
    public double failBelowFreePercent() {
        return failBelowFreePercent;
    }

    /** FAIL below this many free bytes (0: no floor). */
    public long failBelowFreeBytes() {
        return failBelowFreeBytes;
    }

    @Override
    public String toString() {
        return "DiskSpaceCheck{" + path + ", warn<" + warnBelowFreePercent + "%, fail<" + failBelowFreePercent + "% or <"
                + failBelowFreeBytes + "B}";
    }

    /** A validating builder of a {@link DiskSpaceCheck}. */
    public static final class Builder {
        private final Path path;
        private double warnBelowFreePercent = DEFAULT_WARN_BELOW_FREE_PERCENT;
        private double failBelowFreePercent = DEFAULT_FAIL_BELOW_FREE_PERCENT;
        private long failBelowFreeBytes = DEFAULT_FAIL_BELOW_FREE_BYTES;

        private Builder(Path path) {
            this.path = Objects.requireNonNull(path, "path must not be null: use e.g. Path.of(\"/var/lib/app\")");
        }

        /** WARN when less than this percentage is free, 0 (never) to 100; default {@value DiskSpaceCheck#DEFAULT_WARN_BELOW_FREE_PERCENT}. */
        public Builder warnBelowFreePercent(double percent) {
            this.warnBelowFreePercent = Checks.percentOrZero("warnBelowFreePercent", percent, "20.0");
            return this;
        }

        /** FAIL when less than this percentage is free, 0 (never) to 100; default {@value DiskSpaceCheck#DEFAULT_FAIL_BELOW_FREE_PERCENT}. */
        public Builder failBelowFreePercent(double percent) {
            this.failBelowFreePercent = Checks.percentOrZero("failBelowFreePercent", percent, "5.0");
            return this;
        }

        /** FAIL when fewer than this many bytes are free, whatever the percentage; 0 for no floor; default 10 MiB. */
        public Builder failBelowFreeBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("failBelowFreeBytes must be zero or positive, but was " + bytes
                        + ": use e.g. 1073741824 for 1 GiB, or 0 for no floor");
            }
            this.failBelowFreeBytes = bytes;
            return this;
        }

        /**
         * Builds the check.
         *
         * @throws IllegalArgumentException if the fail percentage is above the warn percentage
         */
        public DiskSpaceCheck build() {
            if (failBelowFreePercent > warnBelowFreePercent) {
                throw new IllegalArgumentException("failBelowFreePercent must not be above warnBelowFreePercent ("
                        + warnBelowFreePercent + "), but was " + failBelowFreePercent
                        + ": FAIL is the worse state, e.g. warnBelowFreePercent(20).failBelowFreePercent(5)");
            }
            return new DiskSpaceCheck(this);
        }
    }
}
