/**
 * opskit for Jakarta Servlet 6 containers: {@link io.opskit.servlet.CorrelationIdFilter},
 * {@link io.opskit.servlet.MaintenanceFilter}, {@link io.opskit.servlet.HttpMetricsFilter},
 * {@link io.opskit.servlet.HealthServlet} and {@link io.opskit.servlet.MetricsServlet}, registered
 * in one call by {@link io.opskit.servlet.OpsServlets} or automatically by
 * {@link io.opskit.servlet.OpsServletInitializer}.
 */
package io.opskit.servlet;
