package io.opskit.benchmarks.scale;

import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import io.opskit.core.endpoint.HealthEndpoint;
import io.opskit.core.endpoint.ShowDetails;
import io.opskit.http.OpsHttpServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * One scenario of the scale benchmark, in a JVM of its own: {@code bench.checks} trivial checks
 * (each returns {@code Result.pass()}) every {@code bench.intervalMillis} on the engine, with
 * {@code OpsHttpServer} serving {@code /health/ready} (details never shown).
 *
 * <p>Phases, in order: a warm-up; a CPU window with no reader at all (process CPU in cores from
 * {@code getProcessCpuTime}); in-process reads of {@code HealthEndpoint.handle("ready")}; HTTP
 * reads by {@code wrk} from a second process; and, with {@code bench.flips > 0}, the status-change
 * test: the first check flips PASS, FAIL, PASS, … and a spinning reader measures how long after
 * the check returned the new status {@code ops.health(READINESS)} shows it. A sampler counts the
 * stale checks in the published readiness snapshot every 250 ms throughout.
 *
 * <p>Prints one line {@code SCALE_RESULT key=value …} on stdout, read by {@code benchmarks/scale.sh}.
 */
public final class ScaleBenchmark {

    private ScaleBenchmark() {
    }

    /**
     * Runs one scenario; settings come from system properties (see {@code scale.sh}).
     *
     * @param args ignored
     * @throws Exception when the server does not start or wrk cannot be run
     */
    public static void main(String[] args) throws Exception {
        int checks = Integer.getInteger("bench.checks", 1000);
        long intervalMillis = Long.getLong("bench.intervalMillis", 1000);
        long warmup = Long.getLong("bench.warmupSeconds", 10);
        long window = Long.getLong("bench.windowSeconds", 20);
        long readSeconds = Long.getLong("bench.readSeconds", 5);
        long readPauseMicros = Long.getLong("bench.readPauseMicros", 200);
        String wrk = System.getProperty("bench.wrk", "");
        String wrkScript = System.getProperty("bench.wrkScript", "benchmarks/load/report.lua");
        String wrkDuration = System.getProperty("bench.wrkDuration", "10s");
        int wrkConnections = Integer.getInteger("bench.wrkConnections", 4);
        int flips = Integer.getInteger("bench.flips", 0);
        int port = Integer.getInteger("bench.port", 0);

        LongAdder runs = new LongAdder();
        FlipCheck flip = new FlipCheck();
        Integer threads = Integer.getInteger("bench.threads");
        long built0 = System.nanoTime();
        Ops ops = build(checks, intervalMillis, flips, flip, runs, threads);
        long buildNanos = System.nanoTime() - built0;
        ops.start();
        OpsHttpServer http = OpsHttpServer.builder(ops).address(InetAddress.getLoopbackAddress()).port(port)
                .showDetails(ShowDetails.NEVER).build().start();
        HealthEndpoint endpoint = HealthEndpoint.create(ops, ShowDetails.NEVER);
        StaleSampler sampler = new StaleSampler(ops, 250).start();
        CpuMeter cpu = new CpuMeter();
        StringBuilder out = new StringBuilder("SCALE_RESULT engine=opskit");
        kv(out, "checks", checks);
        kv(out, "interval_ms", intervalMillis);
        kv(out, "build_ms", buildNanos / 1e6);

        log("warm-up %d s (%d checks every %d ms)", warmup, checks, intervalMillis);
        TimeUnit.SECONDS.sleep(warmup);

        log("CPU window %d s, no reader", window);
        sampler.resetWindow();
        long v0 = ops.health().version();
        long runs0 = runs.sum();
        cpu.start();
        TimeUnit.SECONDS.sleep(window);
        CpuMeter.Window w = cpu.stop();
        long v1 = ops.health().version();
        long runs1 = runs.sum();
        kv(out, "cpu_cores", w.cores());
        kv(out, "gc_ms", w.gcMillis());
        kv(out, "machine_cores", w.machineCores());
        kv(out, "runs_per_s", (runs1 - runs0) / w.seconds());
        kv(out, "publications_per_s", (v1 - v0) / w.seconds());
        kv(out, "stale_max_cpu_window", sampler.maxWindow());
        kv(out, "threads", ops.engineThreads());

        log("in-process reads %d s (a call every %d µs)", readSeconds, readPauseMicros);
        cpu.start();
        InProcessReads.Figures r = InProcessReads.measure(endpoint, readSeconds, readPauseMicros);
        w = cpu.stop();
        kv(out, "inproc_reads", r.reads());
        kv(out, "inproc_renders", r.renders());
        kv(out, "inproc_p50_us", r.p50Micros());
        kv(out, "inproc_p99_us", r.p99Micros());
        kv(out, "inproc_p999_us", r.p999Micros());
        kv(out, "inproc_max_us", r.maxMicros());
        kv(out, "inproc_render_mean_us", r.renderMeanMicros());
        kv(out, "ready_status", r.status());
        kv(out, "ready_bytes", r.bodyBytes());
        kv(out, "inproc_cpu_cores", w.cores());

        if (!wrk.isEmpty()) {
            String url = "http://127.0.0.1:" + http.port() + "/health/ready";
            log("HTTP reads: wrk -t1 -c%d -d%s %s", wrkConnections, wrkDuration, url);
            cpu.start();
            String result = WrkRun.run(wrk, wrkScript, 1, wrkConnections, wrkDuration, url);
            w = cpu.stop();
            for (String pair : result.split(" ")) {
                out.append(" wrk_").append(pair);
            }
            kv(out, "wrk_server_cpu_cores", w.cores());
            kv(out, "wrk_machine_cores", w.machineCores());
        }

        if (flips > 0) {
            log("status changes: %d flips of the first check", flips);
            flips(ops, flip, flips, out);
        }
        kv(out, "stale_max", sampler.maxEver());
        kv(out, "stale_samples", sampler.samples());
        kv(out, "stale_sample_mean_us", sampler.meanSampleMicros());
        kv(out, "stale_sample_max_us", sampler.maxSampleMicros());
        sampler.close();
        http.close();
        ops.close();
        System.out.println(out);
    }

    // every check returns Result.pass() and bumps one shared LongAdder, to tell the runs per second
    private static Ops build(int checks, long intervalMillis, int flips, FlipCheck flip, LongAdder runs, Integer threads) {
        HealthCheck counted = () -> {
            runs.increment();
            return Result.pass();
        };
        Ops.Builder builder = Ops.builder().serviceId("opskit-scale").version("1.0.0");
        if (threads != null) {
            builder.threads(threads);
        }
        for (int i = 0; i < checks; i++) {
            HealthCheck check = i == 0 && flips > 0 ? flip : counted;
            builder.check(CheckRegistration.builder(String.format(Locale.ROOT, "dep%05d:check", i), check)
                    .interval(Duration.ofMillis(intervalMillis))
                    .build());
        }
        return builder.build();
    }

    /**
     * Flips the first check {@code count} times, at a random point of its cycle each time; for
     * each flip, waits until the check has returned the new status, then spins on
     * {@code ops.health(READINESS)} until it shows it.
     */
    private static void flips(Ops ops, FlipCheck flip, int count, StringBuilder out) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        int missed = 0;
        for (int i = 0; i < count; i++) {
            Status target = i % 2 == 0 ? Status.FAIL : Status.PASS;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextInt(50, 500)));
            long before = flip.changes();
            flip.set(target);
            long give = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (flip.changes() == before && System.nanoTime() < give) {
                LockSupport.parkNanos(100_000);     // the check runs once a second: wait for it cheaply
            }
            long returned = flip.changedAtNanos();
            long seen = 0;
            while (System.nanoTime() < give) {
                if (ops.health(Probe.READINESS).status() == target) {
                    seen = System.nanoTime();
                    break;
                }
                Thread.onSpinWait();
            }
            if (seen == 0 || flip.changes() == before) {
                missed++;
            } else {
                h.recordValue(seen - returned);
            }
        }
        kv(out, "flip_count", h.getTotalCount());
        kv(out, "flip_missed", missed);
        kv(out, "flip_p50_ms", h.getValueAtPercentile(50) / 1e6);
        kv(out, "flip_max_ms", h.getMaxValue() / 1e6);
    }

    private static void kv(StringBuilder out, String key, Object value) {
        out.append(' ').append(key).append('=');
        if (value instanceof Double d) {
            out.append(String.format(Locale.ROOT, "%.4f", d));
        } else {
            out.append(value);
        }
    }

    private static void log(String format, Object... args) {
        System.err.printf(Locale.ROOT, "[scale] " + format + "%n", args);
    }
}
