package io.opskit.spring.boot;

import io.opskit.core.Ops;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@link HealthAnswerCache} where Actuator serves its endpoints: the application's context, or the
 * management context when {@code management.server.port} gives it a server of its own. After every
 * other filter (Spring Security's included), so it sees who asks. Off with
 * {@code opskit.actuator.replay-answers=false}.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({OncePerRequestFilter.class, FilterRegistrationBean.class})
@ConditionalOnBean({Ops.class, ApplicationAvailability.class})
@ConditionalOnBooleanProperty(name = {"opskit.enabled", "opskit.actuator.enabled", "opskit.actuator.replay-answers"},
        matchIfMissing = true)
class OpsHealthAnswerConfiguration {

    @Bean
    FilterRegistrationBean<HealthAnswerCache> opsHealthAnswerCache(Ops ops, ApplicationAvailability availability,
            ObjectProvider<WebEndpointProperties> web, ObjectProvider<ActuatorBridge> bridge) {
        WebEndpointProperties properties = web.getIfAvailable(WebEndpointProperties::new);
        String base = properties.getBasePath() == null ? "" : properties.getBasePath();
        String health = properties.getPathMapping().getOrDefault("health", "health");
        String prefix = (base.endsWith("/") ? base : base + "/") + (health.startsWith("/") ? health.substring(1) : health);
        ActuatorBridge actuator = bridge.getIfAvailable();
        LongSupplier registryGeneration = actuator == null ? () -> 0L : actuator.checks()::generation;
        FilterRegistrationBean<HealthAnswerCache> registration =
                new FilterRegistrationBean<>(new HealthAnswerCache(ops, availability, prefix, registryGeneration));
        registration.setName("opskitHealthAnswerCache");
        registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
        return registration;
    }
}
