/**
 * opskit for Redis, on Lettuce: PING and INFO health checks ({@link io.opskit.redis.RedisHealth}),
 * an event-driven connection watchdog ({@link io.opskit.redis.RedisConnectionWatchdog}), a fleet-wide
 * maintenance flag ({@link io.opskit.redis.RedisMaintenanceStore}) and an idle-client reaper
 * ({@link io.opskit.redis.RedisIdleClientReaper}). Every check is a plain
 * {@link io.opskit.core.HealthCheck} with a ready {@link io.opskit.core.CheckRegistration}.
 */
package io.opskit.redis;
