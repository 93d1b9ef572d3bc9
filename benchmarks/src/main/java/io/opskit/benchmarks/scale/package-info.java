/**
 * The scale benchmark ({@code benchmarks/scale.sh}): thousands of trivial checks on the engine,
 * measuring the process's CPU, staleness, the cost of reading readiness, and how soon a status
 * change becomes visible.
 */
package io.opskit.benchmarks.scale;
