package io.opskit.spring.boot;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Test support: what differs between the Boot lines the starter supports, here Boot 4. */
final class BootLine {

    /** The column of README.md's "Tested versions" table that says what this line is tested with. */
    static final int README_COLUMN = 2;
    static final String NO_DATABASE = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration";
    static final String NO_REDIS = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration";
    /** The class of the JSON mapper Boot's Actuator writes with (Jackson 3 on Boot 4, 2 on Boot 3). */
    static final String JSON_MAPPER = "tools.jackson.databind.json.JsonMapper";
    /** The jars a child JVM leaves out to run an application without any JDBC support. */
    static final String[] JDBC_JARS = {"HikariCP", "spring-boot-jdbc", "spring-jdbc", "spring-boot-starter-jdbc"};

    private BootLine() {
    }

    static int port(ApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The port of the web server {@code event} says has started, if it says that. */
    static OptionalInt startedPort(ApplicationEvent event) {
        return event instanceof WebServerInitializedEvent ready ? OptionalInt.of(ready.getWebServer().getPort())
                : OptionalInt.empty();
    }

    /** The context of the management server {@code event} says has started (its own port), if it says that. */
    static Optional<ApplicationContext> managementContext(ApplicationEvent event) {
        return event instanceof WebServerInitializedEvent ready
                && "management".equals(ready.getApplicationContext().getServerNamespace())
                ? Optional.of(ready.getApplicationContext()) : Optional.empty();
    }

    /** Registers {@code indicator} at run time through Boot's own registry API. */
    static void register(ApplicationContext context, String name, TestIndicator indicator) {
        context.getBean(HealthContributorRegistry.class).registerContributor(name, indicator);
    }

    static void unregister(ApplicationContext context, String name) {
        context.getBean(HealthContributorRegistry.class).unregisterContributor(name);
    }

    /** Whether Actuator reads opskit's registry (and not Boot's own). */
    static boolean registryIsOpskits(ApplicationContext context) {
        return context.getBean(HealthContributorRegistry.class) instanceof OpsHealthContributorRegistry;
    }

    /** A composite contributor {@code pools} of {@code primary} (UP) and {@code secondary} (OUT_OF_SERVICE). */
    @Configuration(proxyBeanMethods = false)
    static class Pools {
        @Bean
        HealthContributor poolsHealthContributor() {
            return CompositeHealthContributor.fromMap(Map.of(
                    "primary", (TestIndicator) () -> TestHealth.up().withDetail("role", "primary"),
                    "secondary", (TestIndicator) TestHealth::outOfService));
        }
    }
}
