package io.opskit.benchmarks.peers.spring;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring Boot Actuator peer of the opskit load benchmark.
 *
 * <p>Serves {@code GET /static} (a plain 200 "ok", the server's physical limit) and
 * {@code GET /actuator/health} over 20 health indicators that each take 5 ms. With
 * {@code -Dbench.hang=true} (or {@code BENCH_HANG=true}) the first indicator hangs for 30 s
 * instead, as a dependency that accepts a connection and never answers; with
 * {@code -Dbench.hang=switch} it starts hanging after {@code POST /bench/hang} (to measure
 * detection time) and answers again after {@code POST /bench/recover}. Built with the profile
 * {@code opskit}, the same application carries the ops-spring-boot starter: the indicators then run
 * in opskit's engine and {@code /actuator/health} answers from its snapshot.
 */
@SpringBootApplication
@RestController
public class PeerApplication {

    /** How many indicators the benchmark registers. */
    static final int CHECKS = 20;

    /** How long each indicator takes. */
    static final Duration CHECK_TIME = Duration.ofMillis(5);

    /** How long the hanging indicator hangs. */
    static final Duration HANG_TIME = Duration.ofSeconds(30);

    /** Whether the first indicator hangs now. */
    static final AtomicBoolean HANGING = new AtomicBoolean();

    /**
     * Starts the peer.
     *
     * @param args Spring Boot command line arguments
     */
    public static void main(String[] args) {
        HANGING.set(hangMode().equals("true"));
        SpringApplication app = new SpringApplication(PeerApplication.class);
        app.addInitializers((ApplicationContextInitializer<GenericApplicationContext>) context -> {
            for (int i = 0; i < CHECKS; i++) {
                boolean first = i == 0;
                context.registerBean("dep" + i, HealthIndicator.class, () -> sleeping(first));
            }
        });
        app.run(args);
    }

    /**
     * The baseline: a static 200.
     *
     * @return "ok"
     */
    @GetMapping("/static")
    public String ok() {
        return "ok";
    }

    /**
     * Makes the first indicator hang from now on (only meant for {@code -Dbench.hang=switch}).
     *
     * @return "hanging"
     */
    @PostMapping("/bench/hang")
    public String hang() {
        HANGING.set(true);
        return "hanging";
    }

    /**
     * Makes the first indicator answer again (detection trials after the first).
     *
     * @return "recovered"
     */
    @PostMapping("/bench/recover")
    public String recover() {
        HANGING.set(false);
        return "recovered";
    }

    private static HealthIndicator sleeping(boolean mayHang) {
        return () -> {
            try {
                Thread.sleep(mayHang && HANGING.get() ? HANG_TIME.toMillis() : CHECK_TIME.toMillis());
                return Health.up().build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.down().withDetail("error", "interrupted").build();
            }
        };
    }

    static String hangMode() {
        String value = System.getProperty("bench.hang", System.getenv().getOrDefault("BENCH_HANG", "false"));
        return value.toLowerCase(Locale.ROOT);
    }
}
