package io.opskit.core.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.opskit.core.ActionEvent;
import io.opskit.core.CheckRegistration;
import io.opskit.core.AttachContext;
import io.opskit.core.Ops;
import io.opskit.core.OpsComponent;
import io.opskit.core.OpsEvents;
import io.opskit.core.Probe;
import io.opskit.core.Redactor;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health of every breaker of a {@link CircuitBreakerRegistry}, as an {@link OpsComponent}:
 * attached, it registers a check named {@code <breaker>:circuitBreaker} (see
 * {@link CircuitBreakerHealthCheck}) for every breaker, including breakers created later,
 * unregisters those removed, publishes each state transition as an {@link ActionEvent}
 * ({@code payments:circuitBreaker transition: CLOSED -> OPEN}), refreshes a breaker's check on each
 * transition (health follows the breaker at once, not at the next interval), and binds
 * resilience4j's tagged breaker metrics.
 *
 * <pre>{@code
 * ops.attach(BreakerHealth.builder(registry)
 *         .critical(name -> !name.equals("recommendations"))
 *         .build());
 * }</pre>
 *
 * <p>Breaker names are mapped to the check-name alphabet ({@code [A-Za-z0-9._-]}, up to 63
 * characters): {@code "api.example.com:443"} becomes {@code api.example.com-443:circuitBreaker}.
 * Detaching unregisters the checks and stops registering new breakers and publishing transitions.
 * It is attached to one {@link Ops} at a time.
 */
public final class BreakerHealth implements OpsComponent {

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
    private final OpsEvents events;
    private final boolean bindMetrics;
    /** The attachment now, null while detached; swapped under this, read without a lock. */
    private volatile Binding binding;
    private boolean listening; // guarded by this: registry listeners cannot be removed, so they are added once
    /** Breakers whose transitions we listen to (once each, for the same reason); weak, so removed breakers go. */
    private final Set<CircuitBreaker> heard = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

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
     * Registers a check for every breaker now in the registry and every breaker added later,
     * publishes transitions to the Ops' events (unless {@link Builder#events} named another sink)
     * and binds the breakers' metrics (unless {@link Builder#metrics(boolean)} said not to; meters
     * of breakers added after attaching stay when detached).
     *
     * @throws IllegalStateException when attached already (to this or another Ops)
     */
    @Override
    public void attachTo(AttachContext context) {
        Binding b = new Binding(context, events == OpsEvents.NOOP ? context.ops().events() : events);
        boolean subscribe;
        synchronized (this) {
            if (binding != null) {
                throw new IllegalStateException("this BreakerHealth is attached already: close its Attachment first,"
                        + " or build one BreakerHealth per Ops");
            }
            binding = b;
            subscribe = !listening;
            listening = true;
        }
        context.onDetach(() -> detach(b));
        if (bindMetrics) {
            context.meters(Breakers.of(registry));
        }
        if (subscribe) {
            // subscribe first, then walk the registry: a breaker added in between is seen twice and bound once
            registry.getEventPublisher()
                    .onEntryAdded(e -> add(e.getAddedEntry()))
                    .onEntryRemoved(e -> remove(e.getRemovedEntry()))
                    .onEntryReplaced(e -> {
                        remove(e.getOldEntry());
                        add(e.getNewEntry());
                    });
        }
        registry.getAllCircuitBreakers().forEach(this::add);
    }

    /** The check names registered now, by breaker name; empty while detached. */
    public Map<String, String> checks() {
        Binding b = binding;
        Map<String, String> out = new LinkedHashMap<>();
        if (b != null) {
            b.bound.forEach((breaker, bd) -> out.put(breaker, bd.checkName));
        }
        return Map.copyOf(out);
    }

    @Override
    public String toString() {
        return "BreakerHealth" + registry.getAllCircuitBreakers().stream().map(CircuitBreaker::getName).toList();
    }

    private synchronized void detach(Binding b) {
        if (binding == b) {
            binding = null;
        }
    }

    private void add(CircuitBreaker breaker) {
        Binding b = binding;
        if (b == null) {
            return;
        }
        String name = breaker.getName();
        Bound bd = new Bound(breaker, b.uniqueCheckName(name));
        if (b.bound.putIfAbsent(name, bd) != null) {
            b.checkNames.remove(bd.checkName);
            return;
        }
        if (heard.add(breaker)) {
            breaker.getEventPublisher().onStateTransition(e -> transition(breaker, e));
        }
        CheckRegistration registration = CheckRegistration
                .builder(bd.checkName, CircuitBreakerHealthCheck.of(breaker, critical.test(name)))
                .componentType(COMPONENT_TYPE)
                .probes(probes)
                .critical(critical.test(name))
                .interval(interval)
                .timeout(timeout)
                .build();
        try {
            b.context.check(registration);
        } catch (RuntimeException e) {
            if (binding == b) { // detached meanwhile: nothing to say
                LOG.warn("could not register {} for circuit breaker '{}': {}", bd.checkName, name, Redactor.forLog(e.toString()));
            }
        }
    }

    private void remove(CircuitBreaker breaker) {
        Binding b = binding;
        if (b == null) {
            return;
        }
        Bound bd = b.bound.get(breaker.getName());
        if (bd == null || bd.breaker != breaker || !b.bound.remove(breaker.getName(), bd)) {
            return;
        }
        b.checkNames.remove(bd.checkName);
        try {
            b.context.uncheck(bd.checkName);
        } catch (RuntimeException e) {
            LOG.warn("could not unregister {}: {}", bd.checkName, Redactor.forLog(e.toString()));
        }
    }

    private void transition(CircuitBreaker breaker, CircuitBreakerOnStateTransitionEvent e) {
        Binding b = binding;
        Bound bd = b == null ? null : b.bound.get(breaker.getName());
        if (bd == null || bd.breaker != breaker) {
            return;
        }
        CircuitBreaker.StateTransition t = e.getStateTransition();
        CircuitBreaker.Metrics m = breaker.getMetrics();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("breaker", breaker.getName());
        details.put("from", t.getFromState().name());
        details.put("to", t.getToState().name());
        details.put("failureRate", String.valueOf(m.getFailureRate()));
        details.put("slowCallRate", String.valueOf(m.getSlowCallRate()));
        details.put("bufferedCalls", String.valueOf(m.getNumberOfBufferedCalls()));
        try {
            b.events.publish(ActionEvent.of(bd.checkName, "transition", t.getFromState() + " -> " + t.getToState(), details));
        } catch (RuntimeException ex) {
            LOG.warn("could not publish the transition of {}: {}", bd.checkName, Redactor.forLog(ex.toString()));
        }
        try {
            b.context.ops().refresh(bd.checkName);
        } catch (RuntimeException ex) {
            LOG.warn("could not refresh {} after its transition: {}", bd.checkName, Redactor.forLog(ex.toString()));
        }
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

    /** One attachment: where checks go and events are published, and what it bound. */
    private static final class Binding {
        final AttachContext context;
        final OpsEvents events;
        /** breaker name -> the bound breaker; guards against binding one twice. */
        final Map<String, Bound> bound = new ConcurrentHashMap<>();
        /** check names in use, so two breaker names that sanitize alike get distinct checks. */
        final Set<String> checkNames = ConcurrentHashMap.newKeySet();

        Binding(AttachContext context, OpsEvents events) {
            this.context = context;
            this.events = events;
        }

        String uniqueCheckName(String breakerName) {
            String base = component(breakerName);
            String candidate = base + ":" + MEASUREMENT;
            for (int n = 2; !checkNames.add(candidate); n++) {
                String suffix = "-" + n;
                candidate = base.substring(0, Math.min(base.length(), MAX_COMPONENT - suffix.length())) + suffix + ":" + MEASUREMENT;
            }
            return candidate;
        }
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

        /** Where state transitions are published (default: the events of the Ops it is attached to). */
        public Builder events(OpsEvents value) {
            this.events = Objects.requireNonNull(value, "events must not be null: use OpsEvents.NOOP to publish nothing");
            return this;
        }

        /**
         * Whether attaching also binds the breakers' metrics to the Ops meter registry (default true);
         * false when something else binds resilience4j's metrics already.
         */
        public Builder metrics(boolean value) {
            this.metrics = value;
            return this;
        }

        /** Builds the component; {@link Ops#attach(OpsComponent...) attach} it. */
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
