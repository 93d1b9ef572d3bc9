package io.opskit.benchmarks.scale;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures a window: this process's CPU (from {@code getProcessCpuTime}, in cores), its GC time,
 * and the whole machine's busy cores from {@code /proc/stat} (to tell how much the neighbours
 * took of the shared cores during the same window).
 */
final class CpuMeter {

    private static final double USER_HZ = 100.0;    // /proc/stat counts in USER_HZ ticks, 100 on Linux

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long wall0;
    private long cpu0;
    private long gc0;
    private long[] machine0;

    /** Starts a window. */
    void start() {
        wall0 = System.nanoTime();
        cpu0 = os.getProcessCpuTime();
        gc0 = gcMillis();
        machine0 = machine();
    }

    /** Ends the window. */
    Window stop() {
        long wall = System.nanoTime() - wall0;
        long cpu = os.getProcessCpuTime() - cpu0;
        long gc = gcMillis() - gc0;
        long[] m = machine();
        double machineCores = Double.NaN;
        if (m != null && machine0 != null) {
            machineCores = (m[0] - machine0[0]) / USER_HZ / (wall / 1e9);
        }
        return new Window(wall / 1e9, cpu / (double) wall, gc, machineCores);
    }

    /** One window: its length, this process's cores, its GC milliseconds, the machine's busy cores. */
    record Window(double seconds, double cores, long gcMillis, double machineCores) {
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    // busy ticks of all cores (user + nice + system + irq + softirq + steal), or null off Linux
    private static long[] machine() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                busy += Long.parseLong(f[i]);
            }
            return new long[] {busy};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
