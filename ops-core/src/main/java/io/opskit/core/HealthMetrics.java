package io.opskit.core;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Binds health to Micrometer: {@code opskit.health.status} (1 pass, 0.5 warn, 0 fail) and the
 * {@code opskit.health.check} timer per check, tagged {@code check}, and
 * {@code opskit.health.probe.status} per probe, tagged {@code probe}. Checks registered later
 * get their meters when they are registered; removed checks lose them.
 */
public final class HealthMetrics implements MeterBinder, AutoCloseable {

    private final Ops ops;
    private final Iterable<Tag> extraTags;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<String, List<Meter>> perCheck = new ConcurrentHashMap<>();
    private volatile boolean listening;

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
        registries.add(registry);
        for (Probe p : Probe.values()) {
            Gauge.builder("opskit.health.probe.status", ops, o -> o.health(p).status().gaugeValue())
                    .description("Aggregate status of a probe: 1 pass, 0.5 warn, 0 fail")
                    .tags(extraTags).tag("probe", p.tagValue()).register(registry);
        }
        bindCheck(registry, io.opskit.core.internal.HealthEngine.LIFECYCLE_CHECK);
        bindCheck(registry, io.opskit.core.internal.HealthEngine.ENGINE_CHECK);
        if (!listening) {
            listening = true;
            ops.engine().onRegistration((view, added) -> {
                String name = view.registration().name();
                if (added) {
                    for (MeterRegistry r : registries) {
                        bindCheck(r, name);
                    }
                } else {
                    List<Meter> meters = perCheck.remove(name);
                    if (meters != null) {
                        for (Meter m : meters) {
                            for (MeterRegistry r : registries) {
                                r.remove(m);
                            }
                        }
                    }
                }
            });
            ops.engine().onTiming((check, took, raw) -> {
                for (MeterRegistry r : registries) {
                    timer(r, check).record(took);
                }
            });
        } else {
            for (CheckRegistration reg : ops.registrations()) {
                bindCheck(registry, reg.name());
            }
        }
    }

    private void bindCheck(MeterRegistry registry, String name) {
        Gauge g = Gauge.builder("opskit.health.status", ops, o -> o.check(name).map(c -> c.status().gaugeValue()).orElse(Double.NaN))
                .description("Reported status of a check: 1 pass, 0.5 warn, 0 fail")
                .tags(extraTags).tag("check", name).register(registry);
        perCheck.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(g);
        perCheck.get(name).add(timer(registry, name));
    }

    private Timer timer(MeterRegistry registry, String name) {
        return Timer.builder("opskit.health.check").description("Duration of health check runs")
                .tags(extraTags).tag("check", name).register(registry);
    }

    /** Removes the per-check meters from the registries. */
    @Override
    public void close() {
        for (List<Meter> meters : perCheck.values()) {
            for (Meter m : meters) {
                for (MeterRegistry r : registries) {
                    r.remove(m);
                }
            }
        }
        perCheck.clear();
    }
}
