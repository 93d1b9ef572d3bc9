package io.opskit.core.checks;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.function.Supplier;

/**
 * Reads CPU load from the platform. Kept apart from {@link CpuLoadCheck} because it names
 * {@code com.sun.management}: on a runtime without the {@code jdk.management} module only this
 * class fails to link, and the check degrades to the load average.
 */
final class PlatformCpu {

    private PlatformCpu() {
    }

    /** The best sensor this JVM offers. */
    static Supplier<CpuReading> sensor() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        try {
            Supplier<CpuReading> rich = Rich.create(os);
            if (rich != null) {
                return rich;
            }
        } catch (LinkageError e) {
            // no jdk.management module: fall through to the standard bean
        }
        return () -> new CpuReading(-1, -1, os.getSystemLoadAverage(), os.getAvailableProcessors());
    }

    /** The only place that touches {@code com.sun.management}. */
    private static final class Rich {
        static Supplier<CpuReading> create(OperatingSystemMXBean os) {
            if (!(os instanceof com.sun.management.OperatingSystemMXBean)) {
                return null;
            }
            com.sun.management.OperatingSystemMXBean sun = (com.sun.management.OperatingSystemMXBean) os;
            return () -> new CpuReading(sun.getProcessCpuLoad(), sun.getCpuLoad(), sun.getSystemLoadAverage(),
                    sun.getAvailableProcessors());
        }
    }
}
