/** opskit benchmarks. */
package io.opskit.benchmarks;
