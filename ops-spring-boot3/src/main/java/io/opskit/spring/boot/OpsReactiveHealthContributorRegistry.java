package io.opskit.spring.boot;

import java.util.Iterator;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.ReactiveHealthContributor;
import org.springframework.boot.actuate.health.ReactiveHealthContributorRegistry;

/**
 * The reactive registry Boot 3's health endpoint reads in a WebFlux application, as a view of
 * opskit's {@link OpsHealthContributorRegistry}: the same snapshot-backed contributors, adapted
 * (a snapshot read, never an indicator run); a reactive contributor registered at run time moves
 * into opskit as a blocking one. Boot 4's reactive endpoint reads the blocking registry itself and
 * needs no such view.
 */
final class OpsReactiveHealthContributorRegistry implements ReactiveHealthContributorRegistry {

    private final HealthContributorRegistry registry;

    OpsReactiveHealthContributorRegistry(HealthContributorRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void registerContributor(String name, ReactiveHealthContributor contributor) {
        registry.registerContributor(name, BlockingContributors.of(contributor));
    }

    @Override
    public ReactiveHealthContributor unregisterContributor(String name) {
        HealthContributor removed = registry.unregisterContributor(name);
        return removed == null ? null : ReactiveHealthContributor.adapt(removed);
    }

    @Override
    public ReactiveHealthContributor getContributor(String name) {
        HealthContributor contributor = registry.getContributor(name);
        return contributor == null ? null : ReactiveHealthContributor.adapt(contributor);
    }

    @Override
    public Iterator<NamedContributor<ReactiveHealthContributor>> iterator() {
        return registry.stream()
                .map(c -> NamedContributor.of(c.getName(), ReactiveHealthContributor.adapt(c.getContributor())))
                .iterator();
    }
}
