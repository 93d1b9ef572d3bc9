package io.opskit.spring.boot;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.actuate.health.DefaultHealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorNameFactory;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.NamedContributor;

/**
 * The {@link HealthContributorRegistry} Actuator's health endpoint reads when opskit is behind it
 * (Boot 3; the Boot 4 twin has the same name in ops-spring-boot): Boot's own registry, holding for
 * every contributor the snapshot-backed one {@link ActuatorBridge} made of it. A contributor
 * registered at run time moves into opskit the same way; one unregistered leaves it. Names are
 * Boot's ({@code dbHealthIndicator} is {@code db}), and none may be a health group's.
 */
final class OpsHealthContributorRegistry implements HealthContributorRegistry {

    private final ActuatorBridge bridge;
    private final Collection<String> groupNames;
    private final DefaultHealthContributorRegistry delegate;

    /**
     * @param initial the contributors by bean name
     */
    OpsHealthContributorRegistry(ActuatorBridge bridge, Collection<String> groupNames, Map<String, HealthContributor> initial) {
        this.bridge = bridge;
        this.groupNames = groupNames;
        Map<String, HealthContributor> adopted = new java.util.LinkedHashMap<>();
        initial.forEach((bean, contributor) -> {
            String name = name(bean);
            if (!adopted.containsKey(name)) {
                adopted.put(name, bridge.adopt(name, contributor));
            }
        });
        this.delegate = new DefaultHealthContributorRegistry(adopted, Function.identity());
    }

    @Override
    public void registerContributor(String name, HealthContributor contributor) {
        String adaptedName = name(name);
        if (delegate.getContributor(adaptedName) != null) {
            throw new IllegalStateException("A contributor named \"" + adaptedName + "\" has already been registered");
        }
        HealthContributor adopted = bridge.adopt(adaptedName, contributor);
        try {
            delegate.registerContributor(adaptedName, adopted);
            bridge.checks().changed();
        } catch (RuntimeException e) {
            if (adopted != contributor) {
                bridge.release(adaptedName);
            }
            throw e;
        }
    }

    @Override
    public HealthContributor unregisterContributor(String name) {
        String adaptedName = name(name);
        HealthContributor removed = delegate.unregisterContributor(adaptedName);
        if (removed != null) {
            bridge.release(adaptedName);
        }
        return removed;
    }

    @Override
    public HealthContributor getContributor(String name) {
        return delegate.getContributor(name);
    }

    @Override
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return delegate.iterator();
    }

    /** Boot's name for a contributor ({@code fooHealthIndicator} is {@code foo}), never a group's. */
    private String name(String beanOrName) {
        String name = HealthContributorNameFactory.INSTANCE.apply(beanOrName);
        if (groupNames.contains(name)) {
            throw new IllegalStateException("HealthContributor with name \"" + name + "\" clashes with group");
        }
        return name;
    }
}
