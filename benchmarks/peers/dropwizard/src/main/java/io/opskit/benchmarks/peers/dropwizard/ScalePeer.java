package io.opskit.benchmarks.peers.dropwizard;

import com.codahale.metrics.health.HealthCheck;
import com.codahale.metrics.health.HealthCheckRegistry;
import com.codahale.metrics.health.annotation.Async;
import io.dropwizard.metrics.servlets.HealthCheckServlet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The Dropwizard side of opskit's scale benchmark ({@code benchmarks/scale.sh}), in a JVM of its
 * own: {@code bench.checks} trivial checks (each returns {@code Result.healthy()}) annotated
 * {@code @Async(period = 1, unit = SECONDS)} in a {@link HealthCheckRegistry} with its default
 * async executor (2 threads), and its {@link HealthCheckServlet} on Jetty 12 at {@code /health}.
 *
 * <p>The same phases as opskit's {@code ScaleBenchmark}: warm-up; a CPU window with no reader;
 * in-process reads ({@code registry.runHealthChecks()}, which returns the cached async results,
 * then the overall verdict); HTTP reads by {@code wrk}. A sampler reads the results every 250 ms
 * and counts the stale ones: older than 4 s (opskit's rule for a 1 s interval: interval + 2 s
 * timeout + 1 s margin) and, separately, the ones Dropwizard itself reports as expired (a healthy
 * result older than twice the period). Prints one line {@code SCALE_RESULT key=value …}.
 */
public final class ScalePeer {

    static final LongAdder RUNS = new LongAdder();
    private static final long STALE_MILLIS = 4000;

    private ScalePeer() {
    }

    /** A trivial check, scheduled by Dropwizard every second. */
    @Async(period = 1, unit = TimeUnit.SECONDS)
    static final class TrivialCheck extends HealthCheck {
        @Override
        protected Result check() {
            RUNS.increment();
            return Result.healthy();
        }
    }

    /**
     * Runs one scenario; settings come from system properties (see {@code scale.sh}).
     *
     * @param args ignored
     * @throws Exception when Jetty does not start or wrk cannot be run
     */
    public static void main(String[] args) throws Exception {
        int checks = Integer.getInteger("bench.checks", 1000);
        long warmup = Long.getLong("bench.warmupSeconds", 10);
        long window = Long.getLong("bench.windowSeconds", 20);
        long readSeconds = Long.getLong("bench.readSeconds", 5);
        long readPauseMicros = Long.getLong("bench.readPauseMicros", 200);
        String wrk = System.getProperty("bench.wrk", "");
        String wrkScript = System.getProperty("bench.wrkScript", "benchmarks/load/report.lua");
        String wrkDuration = System.getProperty("bench.wrkDuration", "10s");
        int wrkConnections = Integer.getInteger("bench.wrkConnections", 4);

        HealthCheckRegistry registry = new HealthCheckRegistry();
        for (int i = 0; i < checks; i++) {
            registry.register(String.format(Locale.ROOT, "dep%05d:check", i), new TrivialCheck());
        }
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.getInteger("bench.port", 0));
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder(new HealthCheckServlet(registry)), "/health");
        server.setHandler(context);
        server.start();

        Sampler sampler = new Sampler(registry);
        sampler.start();
        StringBuilder out = new StringBuilder("SCALE_RESULT engine=dropwizard-async");
        kv(out, "checks", checks);
        kv(out, "interval_ms", 1000);

        log("warm-up %d s (%d @Async checks every 1 s)", warmup, checks);
        TimeUnit.SECONDS.sleep(warmup);

        log("CPU window %d s, no reader", window);
        sampler.maxWindow = 0;
        long runs0 = RUNS.sum();
        Cpu cpu = new Cpu();
        TimeUnit.SECONDS.sleep(window);
        double[] w = cpu.stop();
        kv(out, "cpu_cores", w[0]);
        kv(out, "gc_ms", (long) w[1]);
        kv(out, "machine_cores", w[2]);
        kv(out, "runs_per_s", (RUNS.sum() - runs0) / w[3]);
        kv(out, "stale_max_cpu_window", sampler.maxWindow);
        kv(out, "threads", Thread.activeCount());

        log("in-process reads %d s (a call every %d µs)", readSeconds, readPauseMicros);
        cpu = new Cpu();
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(readSeconds);
        boolean healthy = false;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            healthy = healthy(registry.runHealthChecks());
            h.recordValue(Math.min(System.nanoTime() - t0, h.getHighestTrackableValue()));
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(readPauseMicros));
        }
        w = cpu.stop();
        kv(out, "inproc_reads", h.getTotalCount());
        kv(out, "inproc_p50_us", h.getValueAtPercentile(50) / 1e3);
        kv(out, "inproc_p99_us", h.getValueAtPercentile(99) / 1e3);
        kv(out, "inproc_p999_us", h.getValueAtPercentile(99.9) / 1e3);
        kv(out, "inproc_max_us", h.getMaxValue() / 1e3);
        kv(out, "ready_status", healthy ? 200 : 500);
        kv(out, "inproc_cpu_cores", w[0]);

        if (!wrk.isEmpty()) {
            String url = "http://127.0.0.1:" + connector.getLocalPort() + "/health";
            log("HTTP reads: wrk -t1 -c%d -d%s %s", wrkConnections, wrkDuration, url);
            cpu = new Cpu();
            String result = wrk(wrk, wrkScript, wrkConnections, wrkDuration, url);
            w = cpu.stop();
            for (String pair : result.split(" ")) {
                out.append(" wrk_").append(pair);
            }
            kv(out, "wrk_server_cpu_cores", w[0]);
            kv(out, "wrk_machine_cores", w[2]);
        }
        kv(out, "stale_max", sampler.maxEver);
        kv(out, "expired_max", sampler.expiredMax);
        kv(out, "stale_samples", sampler.samples);
        kv(out, "stale_sample_mean_us", sampler.samples == 0 ? 0.0 : sampler.sampleNanos / 1e3 / sampler.samples);
        sampler.running = false;
        server.stop();
        registry.shutdown();
        System.out.println(out);
        System.exit(0);
    }

    private static boolean healthy(SortedMap<String, HealthCheck.Result> results) {
        for (HealthCheck.Result r : results.values()) {
            if (!r.isHealthy()) {
                return false;
            }
        }
        return true;
    }

    /** Every 250 ms: the cached results, how many are older than 4 s, how many Dropwizard calls expired. */
    static final class Sampler extends Thread {
        private final HealthCheckRegistry registry;
        volatile boolean running = true;
        volatile int maxEver;
        volatile int maxWindow;
        volatile int expiredMax;
        volatile long samples;
        volatile long sampleNanos;

        Sampler(HealthCheckRegistry registry) {
            super("scale-stale-sampler");
            setDaemon(true);
            this.registry = registry;
        }

        @Override
        public void run() {
            long next = System.nanoTime();
            while (running) {
                long t0 = System.nanoTime();
                long now = System.currentTimeMillis();
                int stale = 0;
                int expired = 0;
                for (Map.Entry<String, HealthCheck.Result> e : registry.runHealthChecks().entrySet()) {
                    HealthCheck.Result r = e.getValue();
                    if (now - r.getTime() > STALE_MILLIS) {
                        stale++;
                    }
                    if (!r.isHealthy()) {
                        expired++;      // every check is healthy when it runs: unhealthy means expired
                    }
                }
                sampleNanos += System.nanoTime() - t0;
                samples++;
                maxEver = Math.max(maxEver, stale);
                maxWindow = Math.max(maxWindow, stale);
                expiredMax = Math.max(expiredMax, expired);
                next += TimeUnit.MILLISECONDS.toNanos(250);
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
            }
        }
    }

    /** A window: process cores, GC ms, machine busy cores (/proc/stat), seconds. */
    static final class Cpu {
        private final com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        private final long wall0 = System.nanoTime();
        private final long cpu0 = os.getProcessCpuTime();
        private final long gc0 = gcMillis();
        private final long machine0 = machineTicks();

        double[] stop() {
            long wall = System.nanoTime() - wall0;
            double cores = (os.getProcessCpuTime() - cpu0) / (double) wall;
            double machine = (machineTicks() - machine0) / 100.0 / (wall / 1e9);
            return new double[] {cores, gcMillis() - gc0, machine, wall / 1e9};
        }

        private static long gcMillis() {
            long sum = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                sum += Math.max(0, gc.getCollectionTime());
            }
            return sum;
        }

        private static long machineTicks() {
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                    busy += Long.parseLong(f[i]);
                }
                return busy;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }
    }

    private static String wrk(String wrk, String script, int connections, String duration, String url)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(wrk, "-t1", "-c" + connections, "-d" + duration, "--timeout", "5s",
                "--latency", "-s", script, url)).redirectErrorStream(true).start();
        String result = "wrk_failed=1";
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("WRK_RESULT ")) {
                    result = line.substring("WRK_RESULT ".length());
                }
            }
        }
        p.waitFor();
        return result;
    }

    private static void kv(StringBuilder out, String key, Object value) {
        out.append(' ').append(key).append('=');
        out.append(value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : value);
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[scale] " + format + "%n", args);
    }
}
