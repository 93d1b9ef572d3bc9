package io.opskit.core.checks;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.CheckState;
import io.opskit.core.HealthSnapshot;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in checks as a user wires them: each registration lands on its probe and runs in the real engine. */
class BuiltInChecksInTheEngineTest {

    @TempDir
    Path dir;

    @Test
    void everyBuiltInCheckRunsInTheEngineOnItsProbe() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Ops ops = Ops.builder().meterRegistry(registry)
                .check(DiskSpaceCheck.builder(dir).warnBelowFreePercent(0).failBelowFreePercent(0).failBelowFreeBytes(0).build()
                        .registration("disk:tmp"))
                .check(HeapMemoryCheck.builder().warnThreshold(100).failThreshold(100).build().registration())
                .check(CpuLoadCheck.create().registration())
                .check(DeadlockCheck.create().registration())
                .check(ThreadCountCheck.create().registration())
                .check(TimerPercentileCheck.builder(registry, "http.server.requests").failThreshold(Duration.ofMillis(200)).build()
                        .registration())
                .check(ErrorRatioCheck.forHttpServerRequests(registry).registration())
                .build().start()) {

            HealthSnapshot all = ops.refreshAll().get(10, TimeUnit.SECONDS);

            assertThat(all.check("disk:tmp")).map(CheckState::status).contains(Status.PASS);
            assertThat(all.check("memory:heap")).map(CheckState::status).contains(Status.PASS);
            assertThat(all.check("cpu:load")).map(CheckState::status).hasValueSatisfying(s -> assertThat(s).isIn(Status.PASS, Status.WARN));
            assertThat(all.check("threads:deadlocks")).map(CheckState::status).contains(Status.PASS);
            assertThat(all.check("threads:count")).map(CheckState::status).contains(Status.PASS);
            assertThat(all.check("http.server.requests:p95")).map(CheckState::status).contains(Status.PASS);
            assertThat(all.check("http.server.requests:errorRatio")).map(CheckState::status).contains(Status.PASS);
            assertThat(ops.health(Probe.LIVENESS).check("threads:deadlocks")).isPresent();
            assertThat(ops.health(Probe.LIVENESS).check("disk:tmp")).isEmpty();
            assertThat(ops.health(Probe.READINESS).check("disk:tmp")).isPresent();
            assertThat(ops.health(Probe.READINESS).check("threads:deadlocks")).isEmpty();
        }
    }

    @Test
    void aFailingNonCriticalResourceCheckMakesReadinessWarnNotFail() throws Exception {
        try (Ops ops = Ops.builder()
                .check(HeapMemoryCheck.builder().warnThreshold(0.0001).failThreshold(0.0001).build().registration())
                .build().start()) {

            ops.refreshAll().get(10, TimeUnit.SECONDS);
            HealthSnapshot ready = ops.health(Probe.READINESS);

            assertThat(ready.check("memory:heap")).map(CheckState::status).contains(Status.FAIL);
            assertThat(ready.status()).isEqualTo(Status.WARN);
        }
    }
}
