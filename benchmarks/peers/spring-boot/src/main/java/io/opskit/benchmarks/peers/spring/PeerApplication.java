package io.opskit.benchmarks.peers.spring;

import java.time.Duration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Spring Boot Actuator peer of the opskit load benchmark.
 *
 * <p>Serves {@code GET /static} (a plain 200 "ok", the server's physical limit) and
 * {@code GET /actuator/health} over 20 health indicators that each take 5 ms. With
 * {@code -Dbench.hang=true} (or {@code BENCH_HANG=true}) the first indicator hangs for 30 s
 * instead, as a dependency that accepts a connection and never answers.
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

    /**
     * Starts the peer.
     *
     * @param args Spring Boot command line arguments
     */
    public static void main(String[] args) {
        boolean hang = hangMode();
        SpringApplication app = new SpringApplication(PeerApplication.class);
        app.addInitializers((ApplicationContextInitializer<GenericApplicationContext>) context -> {
            for (int i = 0; i < CHECKS; i++) {
                Duration time = hang && i == 0 ? HANG_TIME : CHECK_TIME;
                context.registerBean("dep" + i, HealthIndicator.class, () -> sleeping(time));
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

    private static HealthIndicator sleeping(Duration time) {
        return () -> {
            try {
                Thread.sleep(time.toMillis());
                return Health.up().build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.down().withDetail("error", "interrupted").build();
            }
        };
    }

    static boolean hangMode() {
        String value = System.getProperty("bench.hang", System.getenv().getOrDefault("BENCH_HANG", "false"));
        return Boolean.parseBoolean(value);
    }
}
