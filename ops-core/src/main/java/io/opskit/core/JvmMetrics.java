package io.opskit.core;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM and process metrics a user expects on {@code /metrics}, from Micrometer's own binders:
 * memory ({@code jvm.memory.used}, …), garbage collection ({@code jvm.gc.pause},
 * {@code jvm.gc.memory.allocated}, …), threads ({@code jvm.threads.live}, …), classes
 * ({@code jvm.classes.loaded}), process CPU ({@code process.cpu.usage}, {@code system.cpu.usage}),
 * uptime ({@code process.uptime}) and open files ({@code process.files.open}, on Unix).
 * {@link Ops} binds one to its registry unless {@code Ops.Builder.bindJvmMetrics(false)}.
 *
 * <p>Each binder is bound once per registry: binding this object twice to the same registry does
 * nothing, and a binder whose meters the registry already has (an application or framework
 * bound Micrometer's {@code JvmGcMetrics} itself) is skipped, so nothing is counted twice.
 * {@link #close()} removes the garbage-collection listeners.
 */
public final class JvmMetrics implements MeterBinder, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JvmMetrics.class);

    /** A binder and the meter whose presence in a registry means it is bound there already. */
    private record Part(String marker, Function<Iterable<Tag>, MeterBinder> binder) {
    }

    private static final List<Part> PARTS = List.of(
            new Part("jvm.memory.used", JvmMemoryMetrics::new),
            new Part("jvm.gc.memory.allocated", JvmGcMetrics::new),
            new Part("jvm.threads.live", JvmThreadMetrics::new),
            new Part("jvm.classes.loaded", ClassLoaderMetrics::new),
            new Part("system.cpu.count", ProcessorMetrics::new),
            new Part("process.uptime", UptimeMetrics::new),
            new Part("process.files.open", FileDescriptorMetrics::new));

    private final Iterable<Tag> tags;
    private final Set<MeterRegistry> bound = Collections.newSetFromMap(new IdentityHashMap<>()); // guarded by this
    private final List<AutoCloseable> closeables = new ArrayList<>();                             // guarded by this
    private boolean closed;                                                                       // guarded by this

    private JvmMetrics(Iterable<Tag> tags) {
        this.tags = tags;
    }

    /** A binder adding no tags. */
    public static JvmMetrics create() {
        return new JvmMetrics(Tags.empty());
    }

    /** A binder adding {@code tags} to every meter. */
    public static JvmMetrics withTags(Iterable<Tag> tags) {
        return new JvmMetrics(Tags.of(Objects.requireNonNull(tags, "tags")));
    }

    /**
     * Binds every part not yet in {@code registry}.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException("this JvmMetrics is closed: make a new one with JvmMetrics.create()");
        }
        if (!bound.add(registry)) {
            return;
        }
        for (Part part : PARTS) {
            if (registry.find(part.marker()).meter() != null) {
                LOG.debug("{} is already in the registry: its binder is not bound again", part.marker());
                continue;
            }
            MeterBinder binder = part.binder().apply(tags);
            binder.bindTo(registry);
            if (binder instanceof AutoCloseable closeable) {
                closeables.add(closeable);
            }
        }
    }

    /** Removes the garbage-collection notification listeners; the meters stay in their registries. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), Result.describe(e));
            }
        }
        closeables.clear();
    }
}
