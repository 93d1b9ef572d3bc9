package io.opskit.spring.boot;

import io.opskit.core.Ops;
import io.opskit.jdbc.JdbcOps;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * opskit on the application's DataSource ({@link OpsDataSources}). Switch it off with
 * {@code opskit.jdbc.enabled=false}; the parts with {@code opskit.jdbc.leaks}, {@code .queries},
 * {@code .watchdog}; the reaper is opt-in, {@code opskit.jdbc.reaper.enabled=true}.
 */
@AutoConfiguration(after = OpsAutoConfiguration.class)
@ConditionalOnClass({DataSource.class, JdbcOps.class})
@ConditionalOnBooleanProperty(name = "opskit.enabled", matchIfMissing = true)
public final class OpsJdbcAutoConfiguration {

    OpsJdbcAutoConfiguration() {
    }

    /** Static, and binding its own properties: a post-processor is made before any other bean. */
    @Bean
    static OpsDataSources opsDataSources(ObjectProvider<Ops> ops, Environment environment) {
        OpsProperties properties = Binder.get(environment).bind("opskit", OpsProperties.class).orElseGet(OpsProperties::new);
        return new OpsDataSources(ops, properties.getJdbc());
    }
}
