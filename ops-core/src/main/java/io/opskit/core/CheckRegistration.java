package io.opskit.core;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the engine runs one {@link HealthCheck}: its name ({@code component:measurement}, e.g.
 * {@code postgres:connections}), component type, the probes it belongs to, whether it is
 * critical, its timeout, interval and initial delay, and its hysteresis (consecutive failures
 * before it is reported FAIL, consecutive successes before it is reported PASS again).
 *
 * <pre>{@code
 * CheckRegistration r = CheckRegistration.builder("postgres:responseTime", check)
 *         .componentType("datastore").timeout(Duration.ofSeconds(2)).interval(Duration.ofSeconds(5))
 *         .failureThreshold(2).build();
 * }</pre>
 */
public final class CheckRegistration {

    /** Default timeout of a check run: 2 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** Default interval between runs: 10 seconds. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Default delay before the first run: none. */
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ZERO;
    /** Default consecutive failures before FAIL is reported: 1. */
    public static final int DEFAULT_FAILURE_THRESHOLD = 1;
    /** Default consecutive successes before a failed check is reported healthy again: 1. */
    public static final int DEFAULT_SUCCESS_THRESHOLD = 1;
    /** Default component type. */
    public static final String DEFAULT_COMPONENT_TYPE = "component";
    /** The largest hysteresis threshold accepted. */
    public static final int MAX_THRESHOLD = 1000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._\\-]{0,62}:[A-Za-z0-9][A-Za-z0-9._\\-]{0,62}");

    private final String name;
    private final HealthCheck check;
    private final String componentType;
    private final Set<Probe> probes;
    private final boolean critical;
    private final Duration timeout;
    private final Duration interval;
    private final Duration initialDelay;
    private final int failureThreshold;
    private final int successThreshold;
    private final Severity severity;    // null: derived from critical

    private CheckRegistration(Builder b) {
        this.name = b.name;
        this.check = b.check;
        this.componentType = b.componentType;
        // an immutable set that CheckState copies for free (Set.copyOf of an immutable set is itself)
        this.probes = Set.copyOf(EnumSet.copyOf(b.probes));
        this.critical = b.critical;
        this.timeout = b.timeout;
        this.interval = b.interval;
        this.initialDelay = b.initialDelay;
        this.failureThreshold = b.failureThreshold;
        this.successThreshold = b.successThreshold;
        this.severity = b.severity;
    }

    /**
     * Starts a registration of {@code check} under {@code name}.
     *
     * @throws IllegalArgumentException if the name is blank or not of the form {@code component:measurement}
     */
    public static Builder builder(String name, HealthCheck check) {
        return new Builder(name, check);
    }

    /** Whether {@code name} is a valid check name ({@code component:measurement}). */
    public static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** A builder that starts from this registration's settings. */
    public Builder toBuilder() {
        Builder b = new Builder(name, check);
        b.componentType = componentType;
        b.probes = EnumSet.copyOf(probes);
        b.critical = critical;
        b.timeout = timeout;
        b.interval = interval;
        b.initialDelay = initialDelay;
        b.failureThreshold = failureThreshold;
        b.successThreshold = successThreshold;
        b.severity = severity;
        return b;
    }

    /** The name, {@code component:measurement}. */
    public String name() {
        return name;
    }

    /** The component part of the name. */
    public String componentId() {
        return name.substring(0, name.indexOf(':'));
    }

    /** The check itself. */
    public HealthCheck check() {
        return check;
    }

    /** The component type, e.g. {@code datastore}, {@code system}, {@code http}. */
    public String componentType() {
        return componentType;
    }

    /** The probes the check belongs to; never empty. */
    public Set<Probe> probes() {
        return probes;
    }

    /** Whether a FAIL of this check fails its probes (otherwise it makes them WARN at worst). */
    public boolean critical() {
        return critical;
    }

    /** The deadline of one run. */
    public Duration timeout() {
        return timeout;
    }

    /** The time between the starts of two runs. */
    public Duration interval() {
        return interval;
    }

    /** The delay before the first run. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** Consecutive failed runs before the check is reported FAIL. */
    public int failureThreshold() {
        return failureThreshold;
    }

    /** Consecutive successful runs before a failed check is reported healthy again. */
    public int successThreshold() {
        return successThreshold;
    }

    /**
     * How urgent a FAIL of this check is: the one set with {@link Builder#severity(Severity)}, else
     * {@link Severity#defaultFor(boolean)} of {@link #critical()} (P1 critical, P2 otherwise).
     */
    public Severity severity() {
        return severity != null ? severity : Severity.defaultFor(critical);
    }

    @Override
    public String toString() {
        return "CheckRegistration{" + name + ", type=" + componentType + ", probes=" + probes + ", critical=" + critical
                + ", timeout=" + timeout + ", interval=" + interval + '}';
    }

    /** A validating builder: every setter rejects a bad value with a message that names the field and the fix. */
    public static final class Builder {
        private final String name;
        private final HealthCheck check;
        private String componentType = DEFAULT_COMPONENT_TYPE;
        private Set<Probe> probes = EnumSet.of(Probe.READINESS);
        private boolean critical = true;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration initialDelay = DEFAULT_INITIAL_DELAY;
        private int failureThreshold = DEFAULT_FAILURE_THRESHOLD;
        private int successThreshold = DEFAULT_SUCCESS_THRESHOLD;
        private Severity severity;

        private Builder(String name, HealthCheck check) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name must not be blank, but was '" + name
                        + "': name a check 'component:measurement', e.g. 'postgres:connections'");
            }
            if (!isValidName(name)) {
                throw new IllegalArgumentException("name must be of the form 'component:measurement' (letters, digits, '.', '_', '-'; "
                        + "up to 63 characters each side), but was '" + name + "': e.g. 'postgres:connections'");
            }
            this.name = name;
            this.check = Objects.requireNonNull(check, "check of '" + name + "' must not be null");
        }

        /** The component type, e.g. {@code datastore}; default {@value #DEFAULT_COMPONENT_TYPE_VALUE}. */
        public Builder componentType(String type) {
            if (type == null || type.isBlank()) {
                throw new IllegalArgumentException("componentType of '" + name + "' must not be blank, but was '" + type
                        + "': use e.g. 'datastore', 'system' or 'http'");
            }
            this.componentType = type;
            return this;
        }

        /** The probes the check belongs to (replacing the default, readiness). */
        public Builder probes(Probe first, Probe... more) {
            Objects.requireNonNull(first, "probes of '" + name + "' must not be null");
            EnumSet<Probe> set = EnumSet.of(first, more);
            this.probes = set;
            return this;
        }

        /** The probes the check belongs to (replacing the default, readiness); must not be empty. */
        public Builder probes(Set<Probe> set) {
            if (set == null || set.isEmpty()) {
                throw new IllegalArgumentException("probes of '" + name + "' must not be empty, but was " + set
                        + ": name at least one of LIVENESS, READINESS, STARTUP");
            }
            this.probes = EnumSet.copyOf(set);
            return this;
        }

        /** Whether a FAIL fails the probe (default) or only makes it WARN. */
        public Builder critical(boolean value) {
            this.critical = value;
            return this;
        }

        /** The deadline of one run; must be positive. */
        public Builder timeout(Duration value) {
            this.timeout = positive("timeout", value);
            return this;
        }

        /** The time between runs; must be positive. */
        public Builder interval(Duration value) {
            this.interval = positive("interval", value);
            return this;
        }

        /** The delay before the first run; zero or positive. */
        public Builder initialDelay(Duration value) {
            if (value == null || value.isNegative()) {
                throw new IllegalArgumentException("initialDelay of '" + name + "' must be zero or positive, but was " + value
                        + ": use e.g. Duration.ZERO or Duration.ofSeconds(5)");
            }
            this.initialDelay = value;
            return this;
        }

        /** Consecutive failures before FAIL is reported, 1 to {@value CheckRegistration#MAX_THRESHOLD}. */
        public Builder failureThreshold(int value) {
            this.failureThreshold = threshold("failureThreshold", value);
            return this;
        }

        /** Consecutive successes before a failed check is reported healthy again, 1 to {@value CheckRegistration#MAX_THRESHOLD}. */
        public Builder successThreshold(int value) {
            this.successThreshold = threshold("successThreshold", value);
            return this;
        }

        /**
         * How urgent a FAIL of this check is (P0 to P3), carried in its status-change events, its
         * {@code opskit.health.check.info} gauge and the alerts made from them. Default: P1 for a
         * critical check, P2 for a non-critical one.
         */
        public Builder severity(Severity value) {
            this.severity = Objects.requireNonNull(value, "severity of '" + name
                    + "' must not be null: use Severity.P0 to Severity.P3, or leave it unset to derive it from critical");
            return this;
        }

        /** Builds the immutable registration. */
        public CheckRegistration build() {
            return new CheckRegistration(this);
        }

        private Duration positive(String field, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(field + " of '" + name + "' must be positive, but was " + value
                        + ": use e.g. Duration.ofSeconds(2)");
            }
            return value;
        }

        private int threshold(String field, int value) {
            if (value < 1 || value > MAX_THRESHOLD) {
                throw new IllegalArgumentException(field + " of '" + name + "' must be between 1 and " + MAX_THRESHOLD
                        + ", but was " + value + ": use 1 to report every change at once");
            }
            return value;
        }

        /** Referenced by javadoc. */
        static final String DEFAULT_COMPONENT_TYPE_VALUE = DEFAULT_COMPONENT_TYPE;
    }
}
