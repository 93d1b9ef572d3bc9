package io.opskit.spring.boot;

import io.opskit.core.Ops;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorNameGenerator;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.ReactiveHealthContributor;
import org.springframework.boot.health.registry.DefaultReactiveHealthContributorRegistry;
import org.springframework.boot.health.registry.HealthContributorNameValidator;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * opskit's engine behind Actuator's {@code /actuator/health}: every {@link HealthContributor} and
 * {@link ReactiveHealthContributor} bean (db, redis, diskSpace, the application's own) runs inside
 * opskit, in the background, in parallel, each under its own timeout, with hysteresis; the health
 * endpoint, its groups, show-details, show-components, probes and status mapping stay Boot's and
 * read opskit's snapshot, so no indicator ever runs on a request thread.
 *
 * <p>It takes the place of Boot's {@code HealthContributorRegistry} (and of the reactive one, left
 * empty: reactive contributors run in opskit too). Switch it off with {@code opskit.actuator.enabled=false}.
 */
@AutoConfiguration(before = HealthContributorRegistryAutoConfiguration.class, after = OpsAutoConfiguration.class)
@ConditionalOnClass(HealthContributorRegistry.class)
@ConditionalOnBean(Ops.class)
@ConditionalOnBooleanProperty(name = "opskit.actuator.enabled", matchIfMissing = true)
public final class OpsActuatorAutoConfiguration {

    OpsActuatorAutoConfiguration() {
    }

    @Bean
    ActuatorBridge opsActuatorBridge(Ops ops, OpsProperties properties) {
        return new ActuatorBridge(ops, properties);
    }

    /** opskit's own checks in Actuator, as the composite {@code opskit}. */
    @Bean
    @ConditionalOnBooleanProperty(name = "opskit.actuator.show-opskit-checks", matchIfMissing = true)
    HealthContributor opskitHealthContributor(Ops ops, ActuatorBridge bridge) {
        return new OpskitChecksContributor(ops, bridge);
    }

    @Bean
    HealthContributorRegistry healthContributorRegistry(ActuatorBridge bridge, ListableBeanFactory beans,
                                                        ObjectProvider<HealthContributorNameGenerator> nameGenerator,
                                                        ObjectProvider<HealthContributorNameValidator> nameValidators) {
        HealthContributorNameGenerator names = nameGenerator.getIfAvailable(HealthContributorNameGenerator::withoutStandardSuffixes);
        Map<String, HealthContributor> contributors = new LinkedHashMap<>();
        beans.getBeansOfType(HealthContributor.class).forEach((bean, c) -> contributors.put(names.generateContributorName(bean), c));
        beans.getBeansOfType(ReactiveHealthContributor.class)
                .forEach((bean, c) -> contributors.putIfAbsent(names.generateContributorName(bean), c.asHealthContributor()));
        return new OpsHealthContributorRegistry(bridge, nameValidators.orderedStream().toList(), contributors);
    }

    /** Empty: reactive contributors run inside opskit and answer through the registry above. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "reactor.core.publisher.Flux")
    static class Reactive {

        @Bean
        ReactiveHealthContributorRegistry reactiveHealthContributorRegistry(
                ObjectProvider<HealthContributorNameValidator> nameValidators) {
            return new DefaultReactiveHealthContributorRegistry(nameValidators.orderedStream().toList(), null);
        }
    }
}
