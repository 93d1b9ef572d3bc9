/** JMH benchmarks of opskit's hot paths; run them with {@code benchmarks/jmh.sh}. */
package io.opskit.benchmarks.jmh;
