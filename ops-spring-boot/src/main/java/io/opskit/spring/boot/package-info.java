/**
 * Spring Boot auto-configuration for opskit: the engine behind Actuator's health endpoint, the
 * application's DataSource and Redis, lifecycle, maintenance mode, correlation IDs, breakers;
 * {@code opskit.*} properties ({@link io.opskit.spring.boot.OpsProperties}).
 */
package io.opskit.spring.boot;
