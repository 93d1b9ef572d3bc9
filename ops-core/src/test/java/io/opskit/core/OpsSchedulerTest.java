package io.opskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpsSchedulerTest {

    @Test
    void aJobRunsAgainAfterEachRunNeverOverlapsAndSurvivesItsOwnFailures() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        try (Ops ops = Ops.builder().build().start()) {
            AutoCloseable job = ops.scheduler().scheduleWithFixedDelay("test:job", Duration.ZERO, Duration.ofMillis(5), () -> {
                maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                try {
                    if (runs.incrementAndGet() % 2 == 0) {
                        throw new IllegalStateException("every other run fails");
                    }
                } finally {
                    concurrent.decrementAndGet();
                }
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> runs.get() >= 20);
            job.close();
            int stopped = runs.get();
            assertThat(maxConcurrent.get()).isEqualTo(1);
            // after close at most the run in progress ends; a later job proves time went on
            CountDownLatch later = new CountDownLatch(3);
            ops.scheduler().scheduleWithFixedDelay("test:later", Duration.ZERO, Duration.ofMillis(5), later::countDown);
            later.await();
            assertThat(runs.get()).isLessThanOrEqualTo(stopped + 1);
        }
    }

    @Test
    void aJobBlockedForEverDelaysNoCheck() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger checkRuns = new AtomicInteger();
        try (Ops ops = Ops.builder().check(CheckRegistration.builder("db:ping", () -> {
            checkRuns.incrementAndGet();
            return Result.pass();
        }).interval(Duration.ofMillis(20)).build()).build().start()) {
            CountDownLatch blocked = new CountDownLatch(4);
            for (int i = 0; i < 4; i++) {      // every job thread, blocked on a frozen database
                ops.scheduler().scheduleWithFixedDelay("frozen:job" + i, Duration.ZERO, Duration.ofSeconds(1), () -> {
                    blocked.countDown();
                    try {
                        never.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            blocked.await();
            int before = checkRuns.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> checkRuns.get() >= before + 20);
            assertThat(ops.health(Probe.READINESS).status()).isEqualTo(Status.PASS);
        } finally {
            never.countDown();
        }
    }

    @Test
    void badDelaysAreRejectedWithTheirName() {
        try (Ops ops = Ops.builder().build()) {
            assertThatThrownBy(() -> ops.scheduler().scheduleWithFixedDelay("x:job", Duration.ZERO, Duration.ZERO, () -> { }))
                    .hasMessageContaining("delay of job 'x:job' must be positive");
            assertThatThrownBy(() -> ops.scheduler().scheduleWithFixedDelay("x:job", Duration.ofSeconds(-1), Duration.ofSeconds(1), () -> { }))
                    .hasMessageContaining("initialDelay of job 'x:job'");
        }
    }
}
