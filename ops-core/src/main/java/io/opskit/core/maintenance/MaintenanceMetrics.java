package io.opskit.core.maintenance;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Binds maintenance mode to Micrometer: {@code opskit.maintenance.enabled}, 1 while maintenance
 * is on and 0 otherwise, so an alert can say "maintenance has been on for too long"
 * ({@code OpskitMaintenanceTooLong}). Reads {@link MaintenanceMode#isEnabled()}, one volatile
 * read per scrape.
 *
 * <p>Attaching the {@link MaintenanceMode} to an {@code Ops} binds it (with the {@code maintenance:mode}
 * check); bind it yourself only for a registry without {@code Ops}:
 *
 * <pre>{@code
 * MaintenanceMetrics.of(maintenance).bindTo(registry);
 * }</pre>
 */
public final class MaintenanceMetrics implements MeterBinder, AutoCloseable {

    private final MaintenanceMode mode;
    private final Iterable<Tag> tags;
    private final List<Runnable> removals = new CopyOnWriteArrayList<>();

    private MaintenanceMetrics(MaintenanceMode mode, Iterable<Tag> tags) {
        this.mode = Objects.requireNonNull(mode, "maintenance mode must not be null");
        this.tags = Objects.requireNonNull(tags, "tags must not be null: use Tags.empty()");
    }

    /** A binder for {@code mode}. */
    public static MaintenanceMetrics of(MaintenanceMode mode) {
        return new MaintenanceMetrics(mode, Tags.empty());
    }

    /** A binder for {@code mode} adding {@code tags} to its meter. */
    public static MaintenanceMetrics of(MaintenanceMode mode, Iterable<Tag> tags) {
        return new MaintenanceMetrics(mode, tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge g = Gauge.builder("opskit.maintenance.enabled", mode, m -> m.isEnabled() ? 1 : 0)
                .description("Whether maintenance mode is on (1) or off (0)")
                .tags(tags).register(registry);
        removals.add(() -> registry.remove(g));
    }

    /** Removes the meter from every registry it was bound to. */
    @Override
    public void close() {
        removals.forEach(Runnable::run);
        removals.clear();
    }
}
