package io.opskit.core;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a {@link MeterBinder} and tells which meters that binding created, so detaching removes
 * exactly those: a meter the registry held already (another owner's) is not reported. Micrometer
 * calls meter-added listeners on the registering thread, so a thread-local capture sees only this
 * binding's meters, never those another thread creates meanwhile.
 */
final class MeterCapture {

    private final MeterRegistry registry;
    private final ThreadLocal<List<Meter>> capture = new ThreadLocal<>();
    private boolean listening; // guarded by this

    MeterCapture(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Binds {@code binder} to the registry; returns the meters it added. */
    List<Meter> bind(MeterBinder binder) {
        listen();
        List<Meter> added = new ArrayList<>();
        List<Meter> outer = capture.get();
        capture.set(added);
        try {
            binder.bindTo(registry);
        } finally {
            capture.set(outer);
        }
        return List.copyOf(added);
    }

    private synchronized void listen() {
        if (!listening) {
            listening = true;
            // the listener holds the thread-local only: a registry that outlives the Ops keeps no Ops alive
            ThreadLocal<List<Meter>> local = capture;
            registry.config().onMeterAdded(m -> {
                List<Meter> c = local.get();
                if (c != null) {
                    c.add(m);
                }
            });
        }
    }
}
