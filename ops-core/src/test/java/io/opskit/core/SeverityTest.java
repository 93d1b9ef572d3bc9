package io.opskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SeverityTest {

    @Test
    void severityDefaultsFromCriticalAndCanBeSetExplicitly() {
        assertThat(CheckRegistration.builder("db:ping", Result::pass).build().severity()).isEqualTo(Severity.P1);
        assertThat(CheckRegistration.builder("db:ping", Result::pass).critical(false).build().severity()).isEqualTo(Severity.P2);
        CheckRegistration cert = CheckRegistration.builder("api:certificate", Result::pass).severity(Severity.P3).build();
        assertThat(cert.severity()).isEqualTo(Severity.P3);
        assertThat(cert.toBuilder().critical(true).build().severity()).isEqualTo(Severity.P3);
        assertThat(Severity.P0.routing()).isEqualTo("page");
        assertThat(Severity.P2.routing()).isEqualTo("ticket");
        assertThatThrownBy(() -> CheckRegistration.builder("db:ping", Result::pass).severity(null))
                .hasMessageContaining("severity of 'db:ping'");
    }

    @Test
    void theOldEventConstructorStillCompilesAndMeansP2() {
        StatusChangeEvent e = new StatusChangeEvent("a:b", Optional.empty(), Status.FAIL, "x", Instant.EPOCH);
        assertThat(e.severity()).isEqualTo(Severity.P2);
    }

    @Test
    void statusChangeEventsCarryTheCheckSeverityAndTheInfoGaugeNamesIt() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        List<StatusChangeEvent> seen = new CopyOnWriteArrayList<>();
        try (Ops ops = Ops.builder().meterRegistry(registry)
                .check(CheckRegistration.builder("payments:http", () -> Result.fail("down")).critical(false)
                        .severity(Severity.P3).interval(Duration.ofHours(1)).build())
                .build()) {
            ops.events().onStatusChange(seen::add);
            ops.start();
            ops.refresh("payments:http").get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream().anyMatch(e -> e.check().equals("payments:http")));
            assertThat(seen.stream().filter(e -> e.check().equals("payments:http")).findFirst().orElseThrow().severity())
                    .isEqualTo(Severity.P3);
            assertThat(registry.get("opskit.health.check.info").tag("check", "payments:http").tag("severity", "P3")
                    .tag("critical", "false").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("opskit.health.check.info").tag("check", "lifecycle:state").gauge().getId().getTag("severity"))
                    .isEqualTo("P1");
            ops.unregister("payments:http");
            assertThat(registry.find("opskit.health.check.info").tag("check", "payments:http").gauge()).isNull();
        }
    }
}
