/**
 * The opskit servers of the load benchmark ({@code benchmarks/run.sh}): ops-servlet on Jetty 12
 * and ops-http's {@code OpsHttpServer}, each with a static 200 beside the health endpoint.
 */
package io.opskit.benchmarks.load;
