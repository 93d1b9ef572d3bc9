/**
 * Correlation IDs: the current ID of a thread in the slf4j MDC ({@link io.opskit.core.correlation.CorrelationId}),
 * wrappers that carry it across executors and {@code CompletableFuture} stages, a fast generator,
 * the accepted format ({@link io.opskit.core.correlation.CorrelationIdFormat}), W3C
 * {@code traceparent} parsing, and the header resolution every adapter shares
 * ({@link io.opskit.core.correlation.CorrelationIdConfig}).
 */
package io.opskit.core.correlation;
