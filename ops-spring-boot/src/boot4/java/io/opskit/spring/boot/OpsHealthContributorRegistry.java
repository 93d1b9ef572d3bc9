package io.opskit.spring.boot;

import java.util.Collection;
import java.util.Map;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.registry.DefaultHealthContributorRegistry;
import org.springframework.boot.health.registry.HealthContributorNameValidator;
import org.springframework.boot.health.registry.HealthContributorRegistry;

/**
 * The {@link HealthContributorRegistry} Actuator's health endpoint reads when opskit is behind it:
 * Boot's own registry, holding for every contributor the snapshot-backed one
 * {@link ActuatorBridge} made of it. A contributor registered at run time moves into opskit the same
 * way; one unregistered leaves it.
 */
final class OpsHealthContributorRegistry implements HealthContributorRegistry {

    private final ActuatorBridge bridge;
    private final DefaultHealthContributorRegistry delegate;

    OpsHealthContributorRegistry(ActuatorBridge bridge, Collection<? extends HealthContributorNameValidator> validators,
                                 Map<String, HealthContributor> initial) {
        this.bridge = bridge;
        this.delegate = new DefaultHealthContributorRegistry(validators,
                register -> initial.forEach((name, contributor) -> register.accept(name, bridge.adopt(name, contributor))));
    }

    @Override
    public void registerContributor(String name, HealthContributor contributor) {
        if (delegate.getContributor(name) != null) {
            throw new IllegalStateException("A contributor named \"" + name + "\" has already been registered");
        }
        HealthContributor adopted = bridge.adopt(name, contributor);
        try {
            delegate.registerContributor(name, adopted);
            bridge.checks().changed();
        } catch (RuntimeException e) {
            if (adopted != contributor) {
                bridge.release(name);
            }
            throw e;
        }
    }

    @Override
    public HealthContributor unregisterContributor(String name) {
        HealthContributor removed = delegate.unregisterContributor(name);
        if (removed != null) {
            bridge.release(name);
        }
        return removed;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return delegate.getContributor(name);
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        return delegate.stream();
    }
}
