/**
 * Maintenance mode: the switch and its sources ({@link io.opskit.core.maintenance.MaintenanceMode}:
 * programmatic, {@code MAINTENANCE_MODE}, a flag file, a fleet-wide
 * {@link io.opskit.core.maintenance.MaintenanceStore}), and the request decision every adapter
 * shares ({@link io.opskit.core.maintenance.MaintenanceGate} with a
 * {@link io.opskit.core.maintenance.MaintenanceConfig}: pass-through paths, bypass secret and
 * cookie, CIDR allowlist, trusted proxies, HTML and problem+json bodies).
 */
package io.opskit.core.maintenance;
