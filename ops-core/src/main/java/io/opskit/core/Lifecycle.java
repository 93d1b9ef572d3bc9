package io.opskit.core;

/**
 * The lifecycle of an application as its readiness probe sees it:
 * {@code STARTING → READY → DRAINING → STOPPED}. Readiness fails in every state but
 * {@link #READY}.
 */
public enum Lifecycle {
    /** Started, not yet ready for traffic. */
    STARTING,
    /** Serving traffic. */
    READY,
    /** Shutting down: readiness fails so load balancers stop sending traffic, requests still served. */
    DRAINING,
    /** Stopped. */
    STOPPED
}
