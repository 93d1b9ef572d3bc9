/**
 * Circuit breakers the opskit way, on resilience4j: {@link io.opskit.core.breaker.BreakerDefaults}
 * (count-based window, failure-rate and slow-call thresholds), the {@link io.opskit.core.breaker.Breakers}
 * guard, one health check per breaker ({@link io.opskit.core.breaker.CircuitBreakerHealthCheck},
 * bound for a whole registry by {@link io.opskit.core.breaker.BreakerHealth}), resilience4j's tagged
 * Micrometer metrics, and state transitions published as opskit events.
 */
package io.opskit.core.breaker;
