/**
 * opskit for Redis, on Lettuce: PING and INFO health checks ({@link io.opskit.redis.RedisHealth}),
 * an event-driven connection watchdog ({@link io.opskit.redis.RedisConnectionWatchdog}), a fleet-wide
 * maintenance flag ({@link io.opskit.redis.RedisMaintenanceStore}) and an idle-client reaper
 * ({@link io.opskit.redis.RedisIdleClientReaper}), each an {@link io.opskit.core.OpsComponent} to
 * {@link io.opskit.core.Ops#attach(io.opskit.core.OpsComponent...) attach}:
 *
 * <pre>{@code
 * RedisHealth health = RedisHealth.builder(RedisTarget.of(connection)).cacheMode(true).build();
 * RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).critical(false).build();
 * Attachment redis = ops.attach(health, watchdog);
 * ...
 * redis.close();      // unregisters the checks, removes the gauges
 * watchdog.close();   // stops following the client's events
 * }</pre>
 */
package io.opskit.redis;
