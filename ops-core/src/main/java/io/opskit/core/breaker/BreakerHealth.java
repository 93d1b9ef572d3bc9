package io.opskit.core.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.opskit.core.ActionEvent;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.OpsEvents;
import io.opskit.core.Probe;
import io.opskit.core.Redactor;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds every breaker of a {@link CircuitBreakerRegistry} as a health check named
 * {@code <breaker>:circuitBreaker} (see {@link CircuitBreakerHealthCheck}), including breakers
 * created after binding, and publishes each state transition as an {@link ActionEvent}
 * ({@code payments:circuitBreaker transition: CLOSED -> OPEN}).
 *
 * <pre>{@code
 * BreakerHealth health = BreakerHealth.builder(registry)
 *         .critical(name -> !name.equals("recommendations"))
 *         .build()
 *         .bindTo(ops);
 * }</pre>
 *
 * <p>Breaker names are mapped to the check-name alphabet ({@code [A-Za-z0-9._-]}, up to 63
 * characters): {@code "api.example.com:443"} becomes {@code api.example.com-443:circuitBreaker}.
 * Closing stops registering new breakers and publishing transitions; it does not unregister
 * the checks already registered.
 */
public final class BreakerHealth implements AutoCloseable {

    /** The measurement part of every breaker check's name. */
    public static final String MEASUREMENT = "circuitBreaker";
    /** Default interval of the breaker checks: 5 seconds (reading a breaker is free). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    /** Default timeout of the breaker checks: 1 second. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    /** The component type of the breaker checks. */
    public static final String COMPONENT_TYPE = "circuitBreaker";

    private static final Logger LOG = LoggerFactory.getLogger(BreakerHealth.class);
    private static final int MAX_COMPONENT = 63;

    private final CircuitBreakerRegistry registry;
    private final Predicate<String> critical;
    private final Set<Probe> probes;
    private final Duration interval;
    private final Duration timeout;
    private volatile OpsEvents events;
    private final boolean bindMetrics;
    /** breaker name -> the bound breaker; guards against binding one twice. */
    private final Map<String, Bound> bound = new ConcurrentHashMap<>();
    /** check names in use, so two breaker names that sanitize alike get distinct checks. */
    private final Set<String> checkNames = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile boolean bindCalled;
    private volatile Consumer<CheckRegistration> register = r -> { };
    private volatile Consumer<String> unregister = n -> { };
    private volatile Consumer<String> onTransition = n -> { };

    private BreakerHealth(Builder b) {
        this.registry = b.registry;
        this.critical = b.critical;
        this.probes = EnumSet.copyOf(b.probes);
        this.interval = b.interval;
        this.timeout = b.timeout;
        this.events = b.events;
        this.bindMetrics = b.metrics;
    }

    /** Starts configuring the health of every breaker in {@code registry}. */
    public static Builder builder(CircuitBreakerRegistry registry) {
        return new Builder(registry);
    }

    /**
     * The check name of a breaker: its name mapped to the name alphabet, then
     * {@code :circuitBreaker}. Characters outside {@code [A-Za-z0-9._-]} become {@code -},
     * leading punctuation is dropped, and the result is cut to 63 characters.
     */
    public static String checkName(String breakerName) {
        return component(breakerName) + ":" + MEASUREMENT;
    }

    /**
     * Registers a check with {@code ops} for every breaker now in the registry and every breaker
     * added later, unregisters those removed, publishes transitions to {@code ops.events()}
     * (unless {@link Builder#events} named another sink), refreshes a breaker's check on each
     * transition, so health follows the breaker at once rather than at the next interval, and
     * binds resilience4j's tagged breaker metrics to {@code ops.meterRegistry()} (unless
     * {@link Builder#metrics(boolean)} said not to).
     *
     * @return this, to keep and close
     * @throws IllegalStateException if already bound
     */
    public BreakerHealth bindTo(Ops ops) {
        Objects.requireNonNull(ops, "ops");
        if (events == OpsEvents.NOOP) {
            events = ops.events();
        }
        if (bindMetrics) {
            Breakers.of(registry).bindTo(ops.meterRegistry());
        }
        return bind(ops::register, ops::unregister, ops::refresh);
    }

    /**
     * Registers a check for every breaker now in the registry and for every breaker added later.
     *
     * @param register   called with each new check registration (e.g. {@code ops::register})
     * @param unregister called with the check name of a breaker removed from the registry
     *                   (e.g. {@code ops::unregister})
     * @return this, to keep and close
     * @throws IllegalStateException if already bound
     */
    public BreakerHealth bind(Consumer<CheckRegistration> register, Consumer<String> unregister) {
        return bind(register, unregister, n -> { });
    }

    /**
     * Like {@link #bind(Consumer, Consumer)}, and calls {@code onTransition} with the check name
     * after every state transition, e.g. {@code ops::refresh} so health follows at once instead
     * of at the next interval.
     */
    public synchronized BreakerHealth bind(Consumer<CheckRegistration> register, Consumer<String> unregister,
                                           Consumer<String> onTransition) {
        if (bindCalled) {
            throw new IllegalStateException("BreakerHealth is already bound: build one BreakerHealth per target");
        }
        bindCalled = true;
        this.register = Objects.requireNonNull(register, "register");
        this.unregister = Objects.requireNonNull(unregister, "unregister");
        this.onTransition = Objects.requireNonNull(onTransition, "onTransition");
        // subscribe first, then walk the registry: a breaker added in between is seen twice and bound once
        registry.getEventPublisher()
                .onEntryAdded(e -> add(e.getAddedEntry()))
                .onEntryRemoved(e -> remove(e.getRemovedEntry()))
                .onEntryReplaced(e -> {
                    remove(e.getOldEntry());
                    add(e.getNewEntry());
                });
        registry.getAllCircuitBreakers().forEach(this::add);
        return this;
    }

    /** The check names bound so far, by breaker name. */
    public Map<String, String> checks() {
        Map<String, String> out = new LinkedHashMap<>();
        bound.forEach((breaker, b) -> out.put(breaker, b.checkName));
        return Map.copyOf(out);
    }

    /** Stops binding new breakers and publishing transitions; registered checks stay. */
    @Override
    public void close() {
        closed = true;
    }

    private void add(CircuitBreaker breaker) {
        if (closed) {
            return;
        }
        String name = breaker.getName();
        Bound b = new Bound(breaker, uniqueCheckName(name));
        if (bound.putIfAbsent(name, b) != null) {
            checkNames.remove(b.checkName);
            return;
        }
        breaker.getEventPublisher().onStateTransition(e -> transition(b, e));
        CheckRegistration registration = CheckRegistration
                .builder(b.checkName, CircuitBreakerHealthCheck.of(breaker, critical.test(name)))
                .componentType(COMPONENT_TYPE)
                .probes(probes)
                .critical(critical.test(name))
                .interval(interval)
                .timeout(timeout)
                .build();
        try {
            register.accept(registration);
        } catch (RuntimeException e) {
            LOG.warn("could not register {} for circuit breaker '{}': {}", b.checkName, name, Redactor.forLog(e.toString()));
        }
    }

    private void remove(CircuitBreaker breaker) {
        Bound b = bound.get(breaker.getName());
        if (b == null || b.breaker != breaker || !bound.remove(breaker.getName(), b)) {
            return;
        }
        checkNames.remove(b.checkName);
        if (closed) {
            return;
        }
        try {
            unregister.accept(b.checkName);
        } catch (RuntimeException e) {
            LOG.warn("could not unregister {}: {}", b.checkName, Redactor.forLog(e.toString()));
        }
    }

    private void transition(Bound b, CircuitBreakerOnStateTransitionEvent e) {
        if (closed || bound.get(b.breaker.getName()) != b) {
            return;
        }
        CircuitBreaker.StateTransition t = e.getStateTransition();
        CircuitBreaker.Metrics m = b.breaker.getMetrics();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("breaker", b.breaker.getName());
        details.put("from", t.getFromState().name());
        details.put("to", t.getToState().name());
        details.put("failureRate", String.valueOf(m.getFailureRate()));
        details.put("slowCallRate", String.valueOf(m.getSlowCallRate()));
        details.put("bufferedCalls", String.valueOf(m.getNumberOfBufferedCalls()));
        try {
            events.publish(ActionEvent.of(b.checkName, "transition", t.getFromState() + " -> " + t.getToState(), details));
        } catch (RuntimeException ex) {
            LOG.warn("could not publish the transition of {}: {}", b.checkName, Redactor.forLog(ex.toString()));
        }
        try {
            onTransition.accept(b.checkName);
        } catch (RuntimeException ex) {
            LOG.warn("could not refresh {} after its transition: {}", b.checkName, Redactor.forLog(ex.toString()));
        }
    }

    private String uniqueCheckName(String breakerName) {
        String base = component(breakerName);
        String candidate = base + ":" + MEASUREMENT;
        for (int n = 2; !checkNames.add(candidate); n++) {
            String suffix = "-" + n;
            candidate = base.substring(0, Math.min(base.length(), MAX_COMPONENT - suffix.length())) + suffix + ":" + MEASUREMENT;
        }
        return candidate;
    }

    private static String component(String breakerName) {
        StringBuilder sb = new StringBuilder(Math.min(breakerName.length(), MAX_COMPONENT));
        for (int i = 0; i < breakerName.length() && sb.length() < MAX_COMPONENT; i++) {
            char c = breakerName.charAt(i);
            boolean alnum = c < 128 && Character.isLetterOrDigit(c);
            if (sb.length() == 0 && !alnum) {
                continue;
            }
            sb.append(alnum || c == '.' || c == '_' || c == '-' ? c : '-');
        }
        return sb.length() == 0 ? "breaker" : sb.toString();
    }

    private static final class Bound {
        final CircuitBreaker breaker;
        final String checkName;

        Bound(CircuitBreaker breaker, String checkName) {
            this.breaker = breaker;
            this.checkName = checkName;
        }
    }

    /** Options of a {@link BreakerHealth}; every setter validates. */
    public static final class Builder {
        private final CircuitBreakerRegistry registry;
        private Predicate<String> critical = name -> true;
        private Set<Probe> probes = EnumSet.of(Probe.READINESS);
        private Duration interval = DEFAULT_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private OpsEvents events = OpsEvents.NOOP;
        private boolean metrics = true;

        private Builder(CircuitBreakerRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry must not be null: use BreakerDefaults.registry()");
        }

        /** Which breakers are critical, by name (default: all); an open non-critical breaker is WARN. */
        public Builder critical(Predicate<String> byBreakerName) {
            this.critical = Objects.requireNonNull(byBreakerName, "critical predicate must not be null: use name -> true");
            return this;
        }

        /** The probes the breaker checks belong to (default: readiness). */
        public Builder probes(Probe first, Probe... more) {
            Objects.requireNonNull(first, "probes must not be null: use e.g. Probe.READINESS");
            this.probes = EnumSet.of(first, more);
            return this;
        }

        /** Interval of the breaker checks; positive (default {@link BreakerHealth#DEFAULT_INTERVAL}). */
        public Builder interval(Duration value) {
            this.interval = positive("interval", value);
            return this;
        }

        /** Timeout of the breaker checks; positive (default {@link BreakerHealth#DEFAULT_TIMEOUT}). */
        public Builder timeout(Duration value) {
            this.timeout = positive("timeout", value);
            return this;
        }

        /** Where state transitions are published (default: nowhere). */
        public Builder events(OpsEvents value) {
            this.events = Objects.requireNonNull(value, "events must not be null: use OpsEvents.NOOP to publish nothing");
            return this;
        }

        /** Whether {@link BreakerHealth#bindTo(Ops)} also binds the breakers' metrics to the Ops meter registry (default true). */
        public Builder metrics(boolean value) {
            this.metrics = value;
            return this;
        }

        /** Builds the binder; call {@link BreakerHealth#bind} on it. */
        public BreakerHealth build() {
            return new BreakerHealth(this);
        }

        private static Duration positive(String field, Duration value) {
            if (value == null || value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException(field + " must be positive, but was " + value
                        + ": use e.g. Duration.ofSeconds(5)");
            }
            return value;
        }
    }
}
