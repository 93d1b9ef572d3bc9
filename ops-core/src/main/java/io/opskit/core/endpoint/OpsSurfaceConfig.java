package io.opskit.core.endpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the operations surface serves and to whom: access rules, which endpoints are exposed,
 * health groups, and the limits of the endpoints that act (loggers, flight recordings, heap
 * dumps). Every adapter takes one.
 *
 * <pre>{@code
 * OpsSurfaceConfig surface = OpsSurfaceConfig.builder()
 *         .access(OpsAccess.builder().token("oncall", operatorToken, Role.OPERATOR).build())
 *         .group(HealthGroup.of("database", "db:connection", "postgres:connections"))
 *         .heapDump(true)
 *         .build();
 * }</pre>
 *
 * <p>Defaults: the probes ({@code /health*}, {@code /livez}, {@code /readyz}) and {@code /metrics}
 * are exposed to everybody (aggregate status only for anonymous callers); {@code /ops/*} is
 * exposed but needs a viewer or operator token; the heap dump is off.
 */
public final class OpsSurfaceConfig {

    /** Default base path of health. */
    public static final String DEFAULT_HEALTH_PATH = "/health";
    /** Default duration of a time-boxed log level: 10 minutes. */
    public static final Duration DEFAULT_LOGGER_DURATION = Duration.ofMinutes(10);
    /** Default longest time-boxed log level: 1 hour. */
    public static final Duration DEFAULT_LOGGER_MAX_DURATION = Duration.ofHours(1);
    /** Default duration of a flight recording: 30 seconds. */
    public static final Duration DEFAULT_JFR_DURATION = Duration.ofSeconds(30);
    /** Default longest flight recording: 5 minutes. */
    public static final Duration DEFAULT_JFR_MAX_DURATION = Duration.ofMinutes(5);
    /** Default largest request body: 16 KiB. */
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;
    /** The defaults. */
    public static final OpsSurfaceConfig DEFAULT = builder().build();

    private final OpsAccess access;
    private final String healthPath;
    private final Map<String, Boolean> exposure;
    private final List<HealthGroup> groups;
    private final Duration loggerDuration;
    private final Duration loggerMaxDuration;
    private final Duration jfrDuration;
    private final Duration jfrMaxDuration;
    private final Optional<Path> dumpDirectory;
    private final int maxBodyBytes;

    private OpsSurfaceConfig(Builder b) {
        this.access = b.access;
        this.healthPath = b.healthPath;
        this.exposure = Map.copyOf(b.exposure);
        this.groups = List.copyOf(b.groups);
        this.loggerDuration = b.loggerDuration;
        this.loggerMaxDuration = b.loggerMaxDuration;
        this.jfrDuration = b.jfrDuration;
        this.jfrMaxDuration = b.jfrMaxDuration;
        this.dumpDirectory = b.dumpDirectory;
        this.maxBodyBytes = b.maxBodyBytes;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Who may use the surface. */
    public OpsAccess access() {
        return access;
    }

    /** The base path of health ({@code /health}, also below it). */
    public String healthPath() {
        return healthPath;
    }

    /** Whether the endpoint at {@code path} answers; {@code byDefault} when not configured. */
    public boolean exposed(String path, boolean byDefault) {
        return exposure.getOrDefault(path, byDefault);
    }

    /** The health groups. */
    public List<HealthGroup> groups() {
        return groups;
    }

    /** The duration of a time-boxed log level when the request names none. */
    public Duration loggerDuration() {
        return loggerDuration;
    }

    /** The longest time-boxed log level accepted. */
    public Duration loggerMaxDuration() {
        return loggerMaxDuration;
    }

    /** The duration of a flight recording when the request names none. */
    public Duration jfrDuration() {
        return jfrDuration;
    }

    /** The longest flight recording accepted. */
    public Duration jfrMaxDuration() {
        return jfrMaxDuration;
    }

    /** Where heap dumps and recordings are written before they are streamed and deleted (default: the temp directory). */
    public Optional<Path> dumpDirectory() {
        return dumpDirectory;
    }

    /** The largest request body read, in bytes. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Builds an {@link OpsSurfaceConfig}; every setter validates at once. */
    public static final class Builder {
        private OpsAccess access = OpsAccess.DEFAULT;
        private String healthPath = DEFAULT_HEALTH_PATH;
        private final Map<String, Boolean> exposure = new HashMap<>();
        private final List<HealthGroup> groups = new ArrayList<>();
        private Duration loggerDuration = DEFAULT_LOGGER_DURATION;
        private Duration loggerMaxDuration = DEFAULT_LOGGER_MAX_DURATION;
        private Duration jfrDuration = DEFAULT_JFR_DURATION;
        private Duration jfrMaxDuration = DEFAULT_JFR_MAX_DURATION;
        private Optional<Path> dumpDirectory = Optional.empty();
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;

        private Builder() {
        }

        /** Who may use the surface (default {@link OpsAccess#DEFAULT}: no tokens, {@code /ops/*} answers 401). */
        public Builder access(OpsAccess value) {
            this.access = Objects.requireNonNull(value, "access must not be null: use OpsAccess.DEFAULT");
            return this;
        }

        /** The base path of health (default {@code /health}). */
        public Builder healthPath(String value) {
            if (value == null || !value.matches("(/[A-Za-z0-9._~-]+)+")) {
                throw new IllegalArgumentException("healthPath must be a path like /health (no trailing slash, no wildcards), "
                        + "but was '" + value + "'");
            }
            this.healthPath = value;
            return this;
        }

        /**
         * Exposes or hides the endpoint at {@code path} (e.g. {@code /ops/threaddump}, {@code /livez},
         * {@code /metrics}); a hidden endpoint answers 404 as if it did not exist.
         */
        public Builder expose(String path, boolean on) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("expose needs an endpoint path like /ops/threaddump, but was '" + path + "'");
            }
            exposure.put(path, on);
            return this;
        }

        /** Serves {@code /ops/heapdump} to operators (default false: a heap holds every secret of the process). */
        public Builder heapDump(boolean on) {
            return expose(HeapDumpEndpoint.PATH, on);
        }

        /** Adds a health group, served at {@code /health/group/{name}}. */
        public Builder group(HealthGroup group) {
            Objects.requireNonNull(group, "group must not be null");
            for (HealthGroup g : groups) {
                if (g.name().equals(group.name())) {
                    throw new IllegalArgumentException("health group '" + group.name() + "' is given twice: "
                            + "give each group its own name");
                }
            }
            groups.add(group);
            return this;
        }

        /** Default and longest duration of a time-boxed log level (defaults 10 minutes and 1 hour). */
        public Builder loggerDurations(Duration defaultDuration, Duration max) {
            requirePositive("loggerDuration", defaultDuration, "Duration.ofMinutes(10)");
            requirePositive("loggerMaxDuration", max, "Duration.ofHours(1)");
            if (defaultDuration.compareTo(max) > 0) {
                throw new IllegalArgumentException("loggerDuration must not exceed loggerMaxDuration, but was " + defaultDuration
                        + " with a maximum of " + max + ": raise the maximum or shorten the default");
            }
            this.loggerDuration = defaultDuration;
            this.loggerMaxDuration = max;
            return this;
        }

        /** Default and longest flight recording (defaults 30 seconds and 5 minutes). */
        public Builder jfrDurations(Duration defaultDuration, Duration max) {
            requirePositive("jfrDuration", defaultDuration, "Duration.ofSeconds(30)");
            requirePositive("jfrMaxDuration", max, "Duration.ofMinutes(5)");
            if (defaultDuration.compareTo(max) > 0) {
                throw new IllegalArgumentException("jfrDuration must not exceed jfrMaxDuration, but was " + defaultDuration
                        + " with a maximum of " + max + ": raise the maximum or shorten the default");
            }
            this.jfrDuration = defaultDuration;
            this.jfrMaxDuration = max;
            return this;
        }

        /** Where heap dumps and recordings are written before being streamed and deleted (default: {@code java.io.tmpdir}). */
        public Builder dumpDirectory(Path value) {
            if (value == null || !Files.isDirectory(value) || !Files.isWritable(value)) {
                throw new IllegalArgumentException("dumpDirectory must be a writable directory, but was '" + value
                        + "': create it, or leave the default temp directory");
            }
            this.dumpDirectory = Optional.of(value);
            return this;
        }

        /** The largest request body read, 1 KiB to 1 MiB (default 16 KiB); larger bodies are answered 413. */
        public Builder maxBodyBytes(int value) {
            if (value < 1024 || value > 1024 * 1024) {
                throw new IllegalArgumentException("maxBodyBytes must be between 1024 and 1048576, but was " + value
                        + ": use e.g. 16384");
            }
            this.maxBodyBytes = value;
            return this;
        }

        /** The config. */
        public OpsSurfaceConfig build() {
            return new OpsSurfaceConfig(this);
        }

        private static void requirePositive(String field, Duration d, String example) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(field + " must be positive, but was " + d + ": use e.g. " + example);
            }
        }
    }
}
