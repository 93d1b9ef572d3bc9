package io.opskit.core.checks;

/**
 * One reading of CPU load as fractions from 0 to 1; a negative value means "not available".
 * Package-private: tests feed exact readings through it.
 */
record CpuReading(double process, double system, double loadAverage, int processors) {

    static final CpuReading UNAVAILABLE = new CpuReading(-1, -1, -1, Runtime.getRuntime().availableProcessors());
}
