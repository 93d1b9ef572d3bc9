package io.opskit.core;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.opskit.core.endpoint.OpsEndpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link Ops#attach(OpsComponent...)} did for its components: the checks it registered, the
 * meters it added, the endpoints it contributed and the listeners it wired. {@link #close()}
 * detaches: it undoes all of that, newest first, and leaves the components themselves alone (a
 * started watchdog keeps running until its owner closes it). {@link Ops#close()} detaches every
 * attachment still attached.
 */
public final class Attachment implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Attachment.class);

    private final Ops ops;
    private final List<OpsComponent> components;
    // all guarded by this
    private final List<String> checks = new ArrayList<>();
    private final List<Meter> meters = new ArrayList<>();
    private final List<OpsEndpoint> endpoints = new ArrayList<>();
    private final List<AutoCloseable> undo = new ArrayList<>();
    private boolean detached;

    Attachment(Ops ops, List<OpsComponent> components) {
        this.ops = ops;
        this.components = List.copyOf(components);
    }

    /** Attaches every component, in order; on a failure undoes what was done and rethrows. */
    void attach() {
        try {
            for (OpsComponent c : components) {
                c.attachTo(new Context(c));
            }
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** The components, in the order attached. */
    public List<OpsComponent> components() {
        return components;
    }

    /** The names of the checks registered, in order; empty once detached. */
    public synchronized List<String> checks() {
        return List.copyOf(checks);
    }

    /** The meters added to {@link Ops#meterRegistry()}, in order; empty once detached. */
    public synchronized List<Meter.Id> meters() {
        return meters.stream().map(Meter::getId).toList();
    }

    /** The paths of the endpoints contributed, in order; empty once detached. */
    public synchronized List<String> endpoints() {
        return endpoints.stream().map(OpsEndpoint::path).toList();
    }

    /** Whether this attachment still holds (neither it nor its Ops was closed). */
    public synchronized boolean isAttached() {
        return !detached;
    }

    /**
     * Detaches: unregisters the checks, removes the endpoints and meters and closes the listeners,
     * newest first. A step that fails is logged and the rest still run. Idempotent.
     */
    @Override
    public void close() {
        List<AutoCloseable> steps;
        synchronized (this) {
            if (detached) {
                return;
            }
            detached = true;
            steps = new ArrayList<>(undo);
            undo.clear();
        }
        for (int i = steps.size() - 1; i >= 0; i--) {
            try {
                steps.get(i).close();
            } catch (Exception | LinkageError e) {
                LOG.warn("opskit: detaching {} left a step undone: {}", components, Redactor.forLog(String.valueOf(e)));
            }
        }
        synchronized (this) {
            checks.clear();
            meters.clear();
            endpoints.clear();
        }
        ops.detached(this);
    }

    @Override
    public String toString() {
        return "Attachment" + components;
    }

    /** The context one component attaches through; records every step for {@link #close()}. */
    private final class Context implements AttachContext {
        private final OpsComponent component;

        Context(OpsComponent component) {
            this.component = component;
        }

        @Override
        public Ops ops() {
            return ops;
        }

        @Override
        public void check(CheckRegistration registration) {
            Objects.requireNonNull(registration, "registration");
            synchronized (Attachment.this) {
                requireAttached();
                ops.register(registration);
                String name = registration.name();
                checks.add(name);
                undo.add(() -> uncheck(name));
            }
        }

        @Override
        public boolean uncheck(String name) {
            synchronized (Attachment.this) {
                if (!checks.remove(name)) {
                    return false;
                }
            }
            return ops.unregister(name);
        }

        @Override
        public void meters(MeterBinder binder) {
            Objects.requireNonNull(binder, "binder");
            synchronized (Attachment.this) {
                requireAttached();
                List<Meter> added = ops.meterCapture().bind(binder);
                meters.addAll(added);
                undo.add(() -> {
                    for (Meter m : added) {
                        ops.meterRegistry().remove(m);
                    }
                });
            }
        }

        @Override
        public void endpoint(OpsEndpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            synchronized (Attachment.this) {
                requireAttached();
                AutoCloseable handle = ops.endpoints().add(endpoint);
                endpoints.add(endpoint);
                undo.add(handle);
            }
        }

        @Override
        public void onDetach(AutoCloseable step) {
            Objects.requireNonNull(step, "undo");
            synchronized (Attachment.this) {
                requireAttached();
                undo.add(step);
            }
        }

        private void requireAttached() {
            if (detached) {
                throw new IllegalStateException(component + " is detached from its Ops (its Attachment was closed):"
                        + " attach it again to register more");
            }
        }

        @Override
        public String toString() {
            return "AttachContext{" + component + '}';
        }
    }
}
