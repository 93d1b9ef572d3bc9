package io.opskit.spring.boot;

import io.opskit.core.Ops;
import io.opskit.redis.RedisHealth;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * opskit's Redis checks on the application's Lettuce {@code RedisConnectionFactory}
 * ({@link OpsRedis}); needs ops-redis on the class path. Switch off with
 * {@code opskit.redis.enabled=false}; {@code opskit.redis.cache-mode=false} makes Redis critical.
 */
@AutoConfiguration(after = OpsAutoConfiguration.class,
        afterName = {"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
                "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration"})
@ConditionalOnClass({RedisHealth.class, LettuceConnectionFactory.class})
@ConditionalOnBean(Ops.class)
@ConditionalOnBooleanProperty(name = "opskit.redis.enabled", matchIfMissing = true)
public final class OpsRedisAutoConfiguration {

    OpsRedisAutoConfiguration() {
    }

    /** Takes the factories as a declared dependency, so it is closed before them. */
    @Bean
    @ConditionalOnBean(LettuceConnectionFactory.class)
    OpsRedis opsRedis(Ops ops, List<LettuceConnectionFactory> factories, OpsProperties properties) {
        return new OpsRedis(ops, factories, properties.getRedis().isCacheMode());
    }
}
