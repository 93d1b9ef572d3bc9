package io.opskit.spring.boot;

import io.opskit.core.Ops;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthContributorRegistry;
import org.springframework.boot.actuate.health.HealthEndpointGroups;
import org.springframework.boot.actuate.health.ReactiveHealthContributor;
import org.springframework.boot.actuate.health.ReactiveHealthContributorRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * opskit's engine behind Actuator's {@code /actuator/health} (Boot 3; the Boot 4 twin has the same
 * name in ops-spring-boot): every {@link HealthContributor} and {@link ReactiveHealthContributor} bean
 * (db, redis, diskSpace, the application's own) runs inside opskit, in the background, in parallel,
 * each under its own timeout, with hysteresis; the health endpoint, its groups, show-details,
 * show-components, probes and status mapping stay Boot's and read opskit's snapshot, so no indicator
 * ever runs on a request thread.
 *
 * <p>It takes the place of Boot's {@code HealthContributorRegistry} (and of the reactive one, which
 * shows the same snapshot-backed contributors: reactive contributors run in opskit too). Switch it off with {@code opskit.actuator.enabled=false}.
 */
@AutoConfiguration(before = HealthEndpointAutoConfiguration.class, after = OpsAutoConfiguration.class)
@ConditionalOnClass(HealthContributorRegistry.class)
@ConditionalOnBean(Ops.class)
@ConditionalOnBooleanProperty(name = "opskit.actuator.enabled", matchIfMissing = true)
public final class OpsActuatorAutoConfiguration {

    private static final boolean REACTOR = ClassUtils.isPresent("reactor.core.publisher.Flux",
            OpsActuatorAutoConfiguration.class.getClassLoader());

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
                                                        ObjectProvider<HealthEndpointGroups> groups) {
        Map<String, HealthContributor> contributors = new LinkedHashMap<>(beans.getBeansOfType(HealthContributor.class));
        if (REACTOR) {
            beans.getBeansOfType(ReactiveHealthContributor.class)
                    .forEach((bean, c) -> contributors.putIfAbsent(bean, BlockingContributors.of(c)));
        }
        HealthEndpointGroups endpointGroups = groups.getIfAvailable();
        return new OpsHealthContributorRegistry(bridge, endpointGroups == null ? Set.of() : endpointGroups.getNames(),
                contributors);
    }

    /**
     * What a WebFlux application's health endpoint reads: the registry above, adapted. Reactive
     * contributors run inside opskit and answer through it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "reactor.core.publisher.Flux")
    static class Reactive {

        @Bean
        ReactiveHealthContributorRegistry reactiveHealthContributorRegistry(HealthContributorRegistry registry) {
            return new OpsReactiveHealthContributorRegistry(registry);
        }
    }
}
