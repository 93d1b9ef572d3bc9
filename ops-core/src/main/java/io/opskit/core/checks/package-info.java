/**
 * Built-in health checks: each a small {@link io.opskit.core.HealthCheck} with a validating
 * builder or a static factory, its defaults as public constants, and a {@code registration()}
 * that names it and puts it on the right probe.
 *
 * <table>
 *   <caption>The checks, their default names and probes</caption>
 *   <tr><th>check</th><th>name</th><th>probe</th><th>judges</th></tr>
 *   <tr><td>{@link io.opskit.core.checks.DiskSpaceCheck}</td><td>{@code disk:space}</td><td>readiness</td>
 *       <td>free space of a path's file store: warn &lt; 20%, fail &lt; 5% or &lt; 10 MiB</td></tr>
 *   <tr><td>{@link io.opskit.core.checks.HeapMemoryCheck}</td><td>{@code memory:heap}</td><td>readiness, non-critical</td>
 *       <td>heap used after GC of max: warn 80%, fail 90%</td></tr>
 *   <tr><td>{@link io.opskit.core.checks.CpuLoadCheck}</td><td>{@code cpu:load}</td><td>readiness, non-critical</td>
 *       <td>this process's CPU: warn 70%, no fail unless set; system CPU only with {@code judgeSystemCpu(true)}</td></tr>
 *   <tr><td>{@link io.opskit.core.checks.DeadlockCheck}</td><td>{@code threads:deadlocks}</td><td>liveness</td>
 *       <td>deadlocked threads, named</td></tr>
 *   <tr><td>{@link io.opskit.core.checks.ThreadCountCheck}</td><td>{@code threads:count}</td><td>readiness, non-critical</td>
 *       <td>live threads: warn 1,000, fail 2,000</td></tr>
 *   <tr><td>{@link io.opskit.core.checks.TimerPercentileCheck}</td><td>{@code <timer>:p95}</td><td>readiness, non-critical</td>
 *       <td>a percentile of a Micrometer timer against thresholds</td></tr>
 *   <tr><td>{@link io.opskit.core.checks.ErrorRatioCheck}</td><td>{@code <timer>:errorRatio}</td><td>readiness, non-critical</td>
 *       <td>errors per request over a sliding window: warn 1%, fail 5%</td></tr>
 * </table>
 *
 * <p>Resource and SLO checks are non-critical by default: when every instance is busy or slow at
 * once, taking them all out of the load balancer turns a slowdown into an outage. Their FAIL shows
 * on the check and makes the probe WARN; {@code registration().toBuilder().critical(true).build()}
 * makes it fail the probe.
 */
package io.opskit.core.checks;
