package io.opskit.spring.boot;

import io.opskit.core.Ops;
import io.opskit.core.maintenance.MaintenanceMode;
import java.util.Optional;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * opskit's operations endpoints as the Actuator endpoint {@code opskit} ({@link OpskitEndpoint}):
 * made only when Actuator makes the endpoint available, that is when
 * {@code management.endpoints.web.exposure.include} names it and its access is not {@code none};
 * served wherever Actuator serves (the management port when there is one).
 */
@AutoConfiguration(after = {OpsAutoConfiguration.class, OpsServletAutoConfiguration.class, OpsJdbcAutoConfiguration.class})
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(Ops.class)
public final class OpsEndpointAutoConfiguration {

    private static final String SECURITY_FILTER_CHAIN = "org.springframework.security.web.SecurityFilterChain";

    OpsEndpointAutoConfiguration() {
    }

    /** The endpoint, with the roles of {@code opskit.actuator.*}; Spring Security counts when it guards the application. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(OpskitEndpoint.class)
    OpskitEndpoint opskitEndpoint(Ops ops, ObjectProvider<MaintenanceMode> maintenance, OpsProperties properties,
                                  ListableBeanFactory beans) {
        OpsProperties.Actuator p = properties.getActuator();
        ActuatorAuthenticator authenticator = new ActuatorAuthenticator(p.getViewerRole(), p.getOperatorRole(),
                p.isAuthenticatedIsViewer(), OpsAutoConfiguration.isBean(beans, SECURITY_FILTER_CHAIN));
        return OpskitEndpoint.create(ops, Optional.ofNullable(maintenance.getIfUnique()), authenticator);
    }
}
