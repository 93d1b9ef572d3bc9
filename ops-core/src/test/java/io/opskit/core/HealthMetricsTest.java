package io.opskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class HealthMetricsTest {

    @Test
    void statusGaugesAndCheckTimersFollowEveryCheckIncludingLateOnes() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicReference<Status> next = new AtomicReference<>(Status.PASS);
        try (Ops ops = Ops.builder().meterRegistry(registry)
                .check(CheckRegistration.builder("db:ping", () -> Result.of(next.get(), "")).interval(Duration.ofHours(1)).build())
                .build().start()) {
            ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
            assertThat(registry.get("opskit.health.status").tag("check", "db:ping").gauge().value()).isEqualTo(1.0);
            next.set(Status.WARN);
            ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
            assertThat(registry.get("opskit.health.status").tag("check", "db:ping").gauge().value()).isEqualTo(0.5);
            next.set(Status.FAIL);
            ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
            assertThat(registry.get("opskit.health.status").tag("check", "db:ping").gauge().value()).isEqualTo(0.0);
            assertThat(registry.get("opskit.health.check").tag("check", "db:ping").timer().count()).isGreaterThanOrEqualTo(3);
            assertThat(registry.get("opskit.health.probe.status").tag("probe", "readiness").gauge().value()).isEqualTo(0.0);

            ops.register(CheckRegistration.builder("late:check", Result::pass).build());
            ops.refresh("late:check").get(5, TimeUnit.SECONDS);
            assertThat(registry.get("opskit.health.status").tag("check", "late:check").gauge().value()).isEqualTo(1.0);
            ops.unregister("late:check");
            assertThat(registry.find("opskit.health.status").tag("check", "late:check").gauge()).isNull();
        }
    }
}
