package io.opskit.spring.boot;

import io.micrometer.tracing.Tracer;
import io.opskit.core.Ops;
import io.opskit.core.correlation.CorrelationIdConfig;
import io.opskit.core.maintenance.MaintenanceConfig;
import io.opskit.core.maintenance.MaintenanceGate;
import io.opskit.core.maintenance.MaintenanceMode;
import io.opskit.servlet.CorrelationIdFilter;
import io.opskit.servlet.HttpMetricsConfig;
import io.opskit.servlet.HttpMetricsFilter;
import io.opskit.servlet.MaintenanceFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * opskit's servlet filters in a Spring MVC application: correlation IDs (with Micrometer Tracing's
 * trace id when present), maintenance mode and its 503 filter, and opskit's HTTP server metrics,
 * which back off when Spring's observation filter records {@code http.server.requests}.
 *
 * <p>opskit's operations endpoints ({@code /ops/events}, {@code /ops/maintenance}, ...) are not mounted as
 * servlets here: they are the Actuator endpoint {@code opskit} ({@link OpsEndpointAutoConfiguration}), so
 * Actuator's exposure, management port and security apply to them.
 */
@AutoConfiguration(after = OpsAutoConfiguration.class,
        afterName = {"org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration",
                "org.springframework.boot.actuate.autoconfigure.observation.web.servlet.WebMvcObservationAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({FilterRegistrationBean.class, CorrelationIdFilter.class})
@ConditionalOnBean(Ops.class)
public final class OpsServletAutoConfiguration {

    /** Right after Spring's observation filter ({@code HIGHEST_PRECEDENCE + 1}), so the trace is open. */
    static final int CORRELATION_ORDER = Ordered.HIGHEST_PRECEDENCE + 2;
    static final int MAINTENANCE_ORDER = Ordered.HIGHEST_PRECEDENCE + 3;
    static final int METRICS_ORDER = Ordered.HIGHEST_PRECEDENCE + 4;

    OpsServletAutoConfiguration() {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "opskit.correlation.enabled", matchIfMissing = true)
    static class Correlation {

        @Bean
        FilterRegistrationBean<Filter> opsCorrelationIdFilter(OpsProperties properties, ObjectProvider<TracerHolder> tracer) {
            CorrelationIdConfig config = CorrelationIdConfig.DEFAULT;
            TracerHolder holder = properties.getCorrelation().isUseTraceId() ? tracer.getIfAvailable() : null;
            Filter filter = holder != null ? new TraceIdCorrelationFilter(config, holder.tracer()) : new CorrelationIdFilter(config);
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
            registration.setName("opskitCorrelationIdFilter");
            registration.setOrder(CORRELATION_ORDER);
            registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
            return registration;
        }
    }

    /** Micrometer Tracing's tracer, when the application has one. */
    record TracerHolder(Tracer tracer) {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Tracer.class)
    @ConditionalOnBean(Tracer.class)
    static class Tracing {

        @Bean
        TracerHolder opsTracer(Tracer tracer) {
            return new TracerHolder(tracer);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "opskit.maintenance.enabled", matchIfMissing = true)
    static class Maintenance {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        MaintenanceMode opsMaintenanceMode(Ops ops, OpsProperties properties) {
            MaintenanceMode.Builder b = MaintenanceMode.builder().events(ops.events()).scheduler(ops.scheduler());
            if (properties.getMaintenance().getFlagFile() != null) {
                b.flagFile(properties.getMaintenance().getFlagFile());
            }
            MaintenanceMode mode = b.build();
            mode.start();
            ops.attach(mode);   // maintenance:mode and opskit.maintenance.enabled
            return mode;
        }

        @Bean
        FilterRegistrationBean<MaintenanceFilter> opsMaintenanceFilter(MaintenanceMode mode, OpsProperties properties) {
            OpsProperties.Maintenance p = properties.getMaintenance();
            MaintenanceConfig.Builder config = MaintenanceConfig.builder()
                    .passThrough(p.getPassThrough().toArray(String[]::new))
                    .allowCidrs(p.getAllowCidrs().toArray(String[]::new));
            if (p.getBypassSecret() != null && !p.getBypassSecret().isBlank()) {
                config.bypassSecret(p.getBypassSecret());
            }
            FilterRegistrationBean<MaintenanceFilter> registration =
                    new FilterRegistrationBean<>(new MaintenanceFilter(MaintenanceGate.create(mode, config.build())));
            registration.setName("opskitMaintenanceFilter");
            registration.setOrder(MAINTENANCE_ORDER);
            return registration;
        }
    }

    /** Only when Spring's observation filter is absent: both would record http.server.requests. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "opskit.http-metrics.enabled", matchIfMissing = true)
    @ConditionalOnMissingBean(type = "org.springframework.web.filter.ServerHttpObservationFilter",
            parameterizedContainer = FilterRegistrationBean.class)
    static class HttpMetrics {

        @Bean
        FilterRegistrationBean<HttpMetricsFilter> opsHttpMetricsFilter(Ops ops) {
            HttpMetricsConfig config = HttpMetricsConfig.builder().excludePaths("/actuator").build();
            FilterRegistrationBean<HttpMetricsFilter> registration =
                    new FilterRegistrationBean<>(new HttpMetricsFilter(ops.meterRegistry(), config));
            registration.setName("opskitHttpMetricsFilter");
            registration.setOrder(METRICS_ORDER);
            return registration;
        }
    }
}
