package io.opskit.spring.boot;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.opskit.core.Ops;
import io.opskit.core.breaker.BreakerHealth;
import io.opskit.core.checks.CpuLoadCheck;
import io.opskit.core.checks.DeadlockCheck;
import io.opskit.core.checks.DiskSpaceCheck;
import io.opskit.core.checks.HeapMemoryCheck;
import java.nio.file.Path;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * opskit's engine in a Spring Boot application: the {@link Ops} bean (service id from
 * {@code spring.application.name}, version from {@link BuildProperties} when present, health
 * metrics on the application's {@link MeterRegistry}), opskit's built-in system checks, its
 * lifecycle bound to Boot's availability ({@link OpsLifecycle}), and resilience4j breakers in
 * health. Switch all of it off with {@code opskit.enabled=false}.
 */
@AutoConfiguration(afterName = {
        // Boot 4
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        // Boot 3
        "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass(Ops.class)
@ConditionalOnBooleanProperty(name = "opskit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(OpsProperties.class)
public final class OpsAutoConfiguration {

    OpsAutoConfiguration() {
    }

    /** The engine, started: checks registered later (Actuator, DataSource, Redis) start as they come. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Ops ops(OpsProperties properties, Environment environment, ObjectProvider<BuildProperties> build,
            ObjectProvider<MeterRegistry> meterRegistry, ListableBeanFactory beans) {
        Ops.Builder b = Ops.builder()
                .serviceId(properties.getServiceId() != null ? properties.getServiceId()
                        : environment.getProperty("spring.application.name", "application"))
                .version(properties.getVersion() != null ? properties.getVersion()
                        : build.stream().map(BuildProperties::getVersion).filter(v -> v != null).findFirst().orElse(""))
                .releaseId(properties.getReleaseId())
                .threads(properties.getThreads())
                .autoReady(!properties.getLifecycle().isEnabled());
        MeterRegistry registry = meterRegistry.getIfUnique();
        if (registry != null) {
            b.meterRegistry(registry);
            // Boot binds the JVM and process binders itself (JvmMetricsAutoConfiguration): a second JvmGcMetrics
            // would count every collection twice
            b.bindJvmMetrics(!isBean(beans, "io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics")
                    && !isBean(beans, "io.micrometer.core.instrument.binder.jvm.JvmGcMetrics"));
        }
        if (properties.getSystem().isEnabled()) {
            b.check(DiskSpaceCheck.of(Path.of(System.getProperty("user.dir", "."))).registration())
                    .check(HeapMemoryCheck.create().registration())
                    .check(CpuLoadCheck.create().registration())
                    .check(DeadlockCheck.create().registration());
        }
        return b.build().start();
    }

    static boolean isBean(ListableBeanFactory beans, String type) {
        ClassLoader loader = OpsAutoConfiguration.class.getClassLoader();
        return ClassUtils.isPresent(type, loader)
                && beans.getBeanNamesForType(ClassUtils.resolveClassName(type, loader), true, false).length > 0;
    }

    /** Boot's readiness and opskit's lifecycle as one; opskit drains before graceful shutdown. */
    @Bean
    @ConditionalOnBooleanProperty(name = "opskit.lifecycle.enabled", matchIfMissing = true)
    OpsLifecycle opsLifecycle(Ops ops, ApplicationEventPublisher publisher, OpsProperties properties) {
        return new OpsLifecycle(ops, publisher, properties.getLifecycle().getDrain(), new CheckSettings(properties));
    }

    /** resilience4j breakers in health: a {@code <name>:circuitBreaker} check per breaker of the application's registry. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(CircuitBreakerRegistry.class)
    @ConditionalOnBooleanProperty(name = "opskit.breakers.enabled", matchIfMissing = true)
    static class Breakers {

        private static final String TAGGED_METRICS = "io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics";
        private static final String TAGGED_PUBLISHER =
                "io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetricsPublisher";

        @Bean(destroyMethod = "close")
        @ConditionalOnBean(CircuitBreakerRegistry.class)
        @ConditionalOnMissingBean
        BreakerHealth opsBreakerHealth(Ops ops, CircuitBreakerRegistry registry, ListableBeanFactory beans) {
            // the resilience4j Spring Boot starter binds breaker metrics itself: bind them once, never twice
            boolean metricsBound = isBean(beans, TAGGED_METRICS) || isBean(beans, TAGGED_PUBLISHER);
            BreakerHealth health = BreakerHealth.builder(registry).metrics(!metricsBound).build();
            ops.attach(health);     // detached when the Ops bean closes
            return health;
        }
    }
}
