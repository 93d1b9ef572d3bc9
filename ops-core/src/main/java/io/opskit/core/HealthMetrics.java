package io.opskit.core;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opskit.core.internal.HealthEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Binds health to Micrometer: {@code opskit.health.status} (1 pass, 0.5 warn, 0 fail) and the
 * {@code opskit.health.check} timer per check, tagged {@code check};
 * {@code opskit.health.check.info} per check (always 1), tagged {@code check}, {@code severity}
 * and {@code critical}, to join on in alerts;
 * {@code opskit.health.probe.status} per probe, tagged {@code probe}; and
 * {@code opskit.events.dropped}, events a slow listener lost. Checks registered later get their
 * meters when they are registered; removed checks lose them. {@link #close()} removes every meter
 * it made and stops recording.
 */
public final class HealthMetrics implements MeterBinder, AutoCloseable {

    private final Ops ops;
    private final Iterable<Tag> extraTags;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final List<Meter> shared = new ArrayList<>();                       // guarded by this
    private final Map<String, Bound> perCheck = new ConcurrentHashMap<>();      // changed under this
    private final List<AutoCloseable> subscriptions = new ArrayList<>();        // guarded by this
    private boolean subscribed;                                                 // guarded by this
    private volatile boolean closed;

    HealthMetrics(Ops ops) {
        this(ops, Tags.empty());
    }

    /** A binder for {@code ops} adding {@code extraTags} to every meter. */
    public HealthMetrics(Ops ops, Iterable<Tag> extraTags) {
        this.ops = ops;
        this.extraTags = extraTags;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        boolean subscribe;
        // read before taking this monitor: the engine takes its structure lock, then ours
        Map<String, CheckRegistration> known = new java.util.HashMap<>();
        for (CheckRegistration r : ops.registrations()) {
            known.put(r.name(), r);
        }
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("this HealthMetrics is closed: make a new one to bind again");
            }
            if (registries.contains(registry)) {
                return;
            }
            registries.add(registry);
            for (Probe p : Probe.values()) {
                shared.add(Gauge.builder("opskit.health.probe.status", ops, o -> o.health(p).status().gaugeValue())
                        .description("Aggregate status of a probe: 1 pass, 0.5 warn, 0 fail")
                        .tags(extraTags).tag("probe", p.tagValue()).register(registry));
            }
            shared.add(FunctionCounter.builder("opskit.events.dropped", ops, o -> o.droppedEvents())
                    .description("Events dropped because a listener did not keep up with its queue")
                    .tags(extraTags).register(registry));
            bindCheck(registry, HealthEngine.LIFECYCLE_CHECK, known.get(HealthEngine.LIFECYCLE_CHECK));
            bindCheck(registry, HealthEngine.ENGINE_CHECK, known.get(HealthEngine.ENGINE_CHECK));
            for (String name : perCheck.keySet()) {
                bindCheck(registry, name, known.get(name));
            }
            subscribe = !subscribed;
            subscribed = true;
        }
        if (subscribe) {
            // outside this monitor: the engine calls back under its structure lock, then takes ours
            AutoCloseable registrations = ops.engine().onRegistration(new HealthEngine.RegistrationListener() {
                @Override
                public void added(CheckRegistration registration) {
                    synchronized (HealthMetrics.this) {
                        if (!closed) {
                            for (MeterRegistry r : registries) {
                                bindCheck(r, registration.name(), registration);
                            }
                        }
                    }
                }

                @Override
                public void removed(CheckRegistration registration) {
                    synchronized (HealthMetrics.this) {
                        Bound b = perCheck.remove(registration.name());
                        if (b != null) {
                            b.removeFrom(registries);
                        }
                    }
                }
            });
            AutoCloseable timings = ops.engine().onTiming((check, took, raw) -> {
                Bound b = perCheck.get(check);
                if (b != null && !closed) {
                    for (Timer t : b.timers) {
                        t.record(took);
                    }
                }
            });
            synchronized (this) {
                subscriptions.add(registrations);
                subscriptions.add(timings);
                if (closed) {
                    closeQuietly();
                }
            }
        }
    }

    // under this monitor; registration is null for the engine's own checks when not registered
    private void bindCheck(MeterRegistry registry, String name, CheckRegistration registration) {
        Bound b = perCheck.computeIfAbsent(name, k -> new Bound());
        if (registration != null) {
            b.severity = registration.severity();
            b.critical = registration.critical();
        }
        if (b.registries.contains(registry)) {
            return;
        }
        b.registries.add(registry);
        // an info gauge rather than a tag on opskit.health.status: existing series keep their labels
        b.meters.add(Gauge.builder("opskit.health.check.info", () -> 1)
                .description("Static facts of a check, always 1: its severity (P0-P3) and whether it is critical")
                .tags(extraTags).tag("check", name).tag("severity", b.severity.name())
                .tag("critical", Boolean.toString(b.critical)).register(registry));
        b.meters.add(Gauge.builder("opskit.health.status", ops, o -> o.check(name).map(c -> c.status().gaugeValue()).orElse(Double.NaN))
                .description("Reported status of a check: 1 pass, 0.5 warn, 0 fail")
                .tags(extraTags).tag("check", name).register(registry));
        Timer t = Timer.builder("opskit.health.check").description("Duration of health check runs")
                .tags(extraTags).tag("check", name).register(registry);
        b.meters.add(t);
        b.timers.add(t);
    }

    /** Stops recording and removes every meter this binder made from its registries. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly();
        for (Bound b : perCheck.values()) {
            b.removeFrom(registries);
        }
        perCheck.clear();
        for (Meter m : shared) {
            for (MeterRegistry r : registries) {
                r.remove(m);
            }
        }
        shared.clear();
    }

    private void closeQuietly() {
        for (AutoCloseable c : subscriptions) {
            try {
                c.close();
            } catch (Exception e) {
                // removing a listener from a list does not fail
            }
        }
        subscriptions.clear();
    }

    /** The meters of one check, in every registry. */
    private static final class Bound {
        final List<MeterRegistry> registries = new ArrayList<>();
        final List<Meter> meters = new ArrayList<>();
        final List<Timer> timers = new CopyOnWriteArrayList<>();
        Severity severity = Severity.P1;    // the engine's own checks are critical
        boolean critical = true;

        void removeFrom(List<MeterRegistry> all) {
            for (Meter m : meters) {
                for (MeterRegistry r : all) {
                    r.remove(m);
                }
            }
            timers.clear();
        }
    }
}
