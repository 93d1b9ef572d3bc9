package io.opskit.benchmarks.load;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The checks every server of the load benchmark serves: 20 dependencies that each take 5 ms, the
 * first of which can be made to hang for 30 s. For opskit they are registered with the engine
 * (readiness, interval 1 s, timeout 2 s), so requests read the latest snapshot.
 *
 * <p>Settings, as system property or else environment variable: {@code bench.port} /
 * {@code BENCH_PORT} (default 8080), {@code bench.hang} / {@code BENCH_HANG}: {@code false},
 * {@code true} (the first check hangs from the start) or {@code switch} (it hangs after
 * {@code POST /bench/hang}, to measure detection time).
 */
public final class LoadChecks {

    /** How many checks. */
    public static final int CHECKS = 20;

    /** How long each check takes. */
    public static final Duration CHECK_TIME = Duration.ofMillis(5);

    /** How long the hanging check hangs. */
    public static final Duration HANG_TIME = Duration.ofSeconds(30);

    /** How often the engine runs each check. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    /** How long the engine lets a check run. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static final AtomicBoolean HANGING = new AtomicBoolean();

    private LoadChecks() {
    }

    /**
     * The port to listen on.
     *
     * @return {@code bench.port}, 8080 by default
     */
    public static int port() {
        return Integer.parseInt(setting("bench.port", "8080"));
    }

    /**
     * Reads {@code bench.hang} and builds an engine with the 20 checks (not started).
     *
     * @return the engine
     */
    public static Ops ops() {
        String hang = setting("bench.hang", "false").toLowerCase(Locale.ROOT);
        if (!hang.equals("false") && !hang.equals("true") && !hang.equals("switch")) {
            throw new IllegalArgumentException("bench.hang must be false, true or switch, but was " + hang);
        }
        HANGING.set(hang.equals("true"));
        // one worker per check, so 20 checks of 5 ms run together, plus room for a hung one
        Ops.Builder builder = Ops.builder().serviceId("opskit-bench").version("1.0.0").threads(CHECKS + 4);
        for (int i = 0; i < CHECKS; i++) {
            boolean mayHang = i == 0;
            builder.check(CheckRegistration.builder("dep" + i + ":responseTime", () -> {
                        Thread.sleep(mayHang && HANGING.get() ? HANG_TIME.toMillis() : CHECK_TIME.toMillis());
                        return Result.pass();
                    })
                    .componentType("component")
                    .probes(Probe.READINESS)
                    .interval(INTERVAL)
                    .timeout(TIMEOUT)
                    .build());
        }
        return builder.build();
    }

    /** From now on the first check hangs (for {@code POST /bench/hang}). */
    public static void startHanging() {
        HANGING.set(true);
    }

    /** From now on the first check answers in 5 ms again (for {@code POST /bench/recover}). */
    public static void stopHanging() {
        HANGING.set(false);
    }

    static String setting(String property, String fallback) {
        String env = property.toUpperCase(Locale.ROOT).replace('.', '_');
        return System.getProperty(property, System.getenv().getOrDefault(env, fallback));
    }
}
