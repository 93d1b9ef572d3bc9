package io.opskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpsEngineTest {

    private Ops ops;

    @AfterEach
    void closeOps() {
        if (ops != null) {
            ops.close();
        }
    }

    private static CheckRegistration.Builder reg(String name, HealthCheck check) {
        return CheckRegistration.builder(name, check).interval(Duration.ofHours(1));
    }

    private static Set<String> engineThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("opskit-check") || n.startsWith("opskit-scheduler"))
                .collect(Collectors.toSet());
    }

    @Test
    void hungCheckIsReportedAsFailAtItsDeadlineWhileTheSnapshotAnswersAtOnce() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        AtomicReference<Boolean> interrupted = new AtomicReference<>(false);
        ops = Ops.builder().check(reg("db:ping", () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return Result.pass();
        }).timeout(Duration.ofMillis(300)).build()).build().start();

        // the check is hung on a latch nobody releases: a read that ran it, or waited for it, would never return
        HealthSnapshot during = ops.health(Probe.READINESS);
        assertThat(during.check("db:ping").orElseThrow().pending()).isTrue();

        await().atMost(Duration.ofSeconds(5)).until(() -> !ops.check("db:ping").orElseThrow().pending());
        CheckState state = ops.check("db:ping").orElseThrow();
        assertThat(state.status()).isEqualTo(Status.FAIL);
        assertThat(state.result().output()).hasValue("timed out after 300ms");
        assertThat(state.result().duration()).isEqualTo(Duration.ofMillis(300));
        await().atMost(Duration.ofSeconds(5)).until(interrupted::get);
        assertThat(ops.health(Probe.READINESS).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void hungChecksNeverHoldMoreThreadsThanTheBoundsAndCloseLeavesNone() {
        Ops.Builder b = Ops.builder().threads(4).stuckThreads(4);
        for (int i = 0; i < 100; i++) {
            b.check(reg("hung:c" + i, () -> {
                new CountDownLatch(1).await();
                return Result.pass();
            }).timeout(Duration.ofMillis(100)).build());
        }
        ops = b.build().start();
        AtomicInteger maxSeen = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            maxSeen.accumulateAndGet(ops.engineThreads(), Math::max);
            return ops.health().checks().stream().filter(c -> c.name().startsWith("hung:"))
                    .allMatch(c -> !c.pending() && c.status() == Status.FAIL);
        });
        assertThat(maxSeen.get()).isLessThanOrEqualTo(4 + 4 + 1);
        assertThat(engineThreadNames().stream().filter(n -> n.startsWith("opskit-check")).count()).isLessThanOrEqualTo(8);
        assertThat(ops.health().check("hung:c99").orElseThrow().result().output()).hasValue("timed out after 100ms");

        ops.close();
        ops = null;
        assertThat(engineThreadNames()).isEmpty();
    }

    @Test
    void healthyChecksInBurstsNeverUseMoreWorkersThanTheBound() {
        AtomicInteger runs = new AtomicInteger();
        Ops.Builder b = Ops.builder().threads(2).stuckThreads(16);
        for (int i = 0; i < 200; i++) {
            b.check(CheckRegistration.builder("burst:c" + i, () -> {
                runs.incrementAndGet();
                return Result.pass();
            }).interval(Duration.ofMillis(50)).build());
        }
        ops = b.build().start();
        AtomicInteger maxWorkers = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            maxWorkers.accumulateAndGet((int) engineThreadNames().stream().filter(n -> n.startsWith("opskit-check")).count(),
                    Math::max);
            return runs.get() >= 200 * 10;
        });
        assertThat(maxWorkers.get()).isBetween(1, 2);     // the stuck-thread reserve is for stuck runs only
    }

    @Test
    void aCheckStillHungOnItsNextTickIsNotStartedTwice() {
        AtomicInteger starts = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ops = Ops.builder().check(CheckRegistration.builder("slow:ignoresInterrupts", () -> {
            starts.incrementAndGet();
            while (true) {
                try {
                    release.await();
                    return Result.pass();
                } catch (InterruptedException ignored) {
                    // a badly behaved check that ignores interruption
                }
            }
        }).timeout(Duration.ofMillis(100)).interval(Duration.ofMillis(150)).build()).build().start();

        await().atMost(Duration.ofSeconds(5)).until(() -> ops.check("slow:ignoresInterrupts").orElseThrow()
                .result().output().orElse("").contains("still running after"));
        assertThat(ops.check("slow:ignoresInterrupts").orElseThrow().result().output().orElseThrow()).contains("not restarted");
        assertThat(starts.get()).isEqualTo(1);
        assertThat(ops.check("slow:ignoresInterrupts").orElseThrow().status()).isEqualTo(Status.FAIL);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> ops.check("slow:ignoresInterrupts").orElseThrow().status() == Status.PASS);
    }

    @Test
    void hysteresisCountsTrulyConsecutiveResults() throws Exception {
        AtomicReference<Status> next = new AtomicReference<>(Status.PASS);
        ops = Ops.builder().check(reg("flaky:dep", () -> Result.of(next.get(), "raw " + next.get()))
                .failureThreshold(2).successThreshold(2).build()).build().start();
        refresh("flaky:dep", Status.PASS);

        next.set(Status.FAIL);
        assertThat(refresh("flaky:dep", null).status()).isEqualTo(Status.PASS);       // 1 of 2
        next.set(Status.PASS);
        assertThat(refresh("flaky:dep", null).status()).isEqualTo(Status.PASS);       // resets the count
        next.set(Status.FAIL);
        CheckState held = refresh("flaky:dep", null);
        assertThat(held.status()).isEqualTo(Status.PASS);                            // 1 of 2 again, not 2
        assertThat(held.result().output().orElseThrow()).contains("failing 1 of 2");
        assertThat(refresh("flaky:dep", null).status()).isEqualTo(Status.FAIL);       // 2 in a row

        next.set(Status.PASS);
        assertThat(refresh("flaky:dep", null).status()).isEqualTo(Status.FAIL);       // recovering 1 of 2
        next.set(Status.FAIL);
        assertThat(refresh("flaky:dep", null).status()).isEqualTo(Status.FAIL);
        next.set(Status.PASS);
        assertThat(refresh("flaky:dep", null).status()).isEqualTo(Status.FAIL);       // count restarted at 1
        assertThat(refresh("flaky:dep", null).status()).isEqualTo(Status.PASS);       // 2 in a row
    }

    private CheckState refresh(String name, Status expected) throws Exception {
        CheckState s = ops.refresh(name).get(5, TimeUnit.SECONDS);
        if (expected != null) {
            assertThat(s.status()).isEqualTo(expected);
        }
        return s;
    }

    @Test
    void aResultOlderThanItsIntervalPlusTimeoutIsStaleAndCountsAsFail() throws Exception {
        FakeTicker ticker = new FakeTicker();
        ops = Ops.builder().ticker(ticker).check(reg("cache:ping", Result::pass).timeout(Duration.ofSeconds(1)).build())
                .build().start();
        ops.refresh("cache:ping").get(5, TimeUnit.SECONDS);
        assertThat(ops.check("cache:ping").orElseThrow().status()).isEqualTo(Status.PASS);

        ticker.advance(Duration.ofHours(2));
        // judged by the engine's heartbeat; a jump that large first reads as a pause, judged at the next beat
        await().atMost(Duration.ofSeconds(10)).until(() -> ops.check("cache:ping").orElseThrow().stale());
        CheckState stale = ops.check("cache:ping").orElseThrow();
        assertThat(stale.stale()).isTrue();
        assertThat(stale.status()).isEqualTo(Status.FAIL);
        assertThat(stale.result().output().orElseThrow()).startsWith("stale: last result is");
        assertThat(ops.health(Probe.READINESS).status()).isEqualTo(Status.FAIL);

        ops.refresh("cache:ping").get(5, TimeUnit.SECONDS);
        assertThat(ops.check("cache:ping").orElseThrow().stale()).isFalse();
        assertThat(ops.check("cache:ping").orElseThrow().status()).isEqualTo(Status.PASS);
        assertThat(ops.health(Probe.READINESS).check("cache:ping").orElseThrow().status()).isEqualTo(Status.PASS);
    }

    @Test
    void aNonCriticalFailMakesTheProbeWarnNotFail() throws Exception {
        ops = Ops.builder()
                .check(reg("core:db", Result::pass).build())
                .check(reg("reco:engine", () -> Result.fail("down")).critical(false).build())
                .build().start();
        ops.refreshAll().get(5, TimeUnit.SECONDS);
        assertThat(ops.check("reco:engine").orElseThrow().status()).isEqualTo(Status.FAIL);
        assertThat(ops.health(Probe.READINESS).status()).isEqualTo(Status.WARN);
        assertThat(ops.health(Probe.READINESS).status().httpStatus()).isEqualTo(200);
    }

    @Test
    void startupPassesOnceEveryStartupCheckHasPassedOnceAndStaysPassed() throws Exception {
        AtomicReference<Status> migrations = new AtomicReference<>(Status.FAIL);
        ops = Ops.builder()
                .check(reg("db:migrations", () -> Result.of(migrations.get(), "")).probes(Probe.STARTUP, Probe.READINESS).build())
                .check(reg("cache:warm", Result::pass).probes(Probe.STARTUP).build())
                .build().start();
        ops.refreshAll().get(5, TimeUnit.SECONDS);
        assertThat(ops.health(Probe.STARTUP).status()).isEqualTo(Status.FAIL);
        assertThat(ops.lifecycle()).isEqualTo(Lifecycle.STARTING);
        assertThat(ops.health(Probe.READINESS).check("lifecycle:state").orElseThrow().status()).isEqualTo(Status.FAIL);

        migrations.set(Status.PASS);
        ops.refresh("db:migrations").get(5, TimeUnit.SECONDS);
        assertThat(ops.health(Probe.STARTUP).status()).isEqualTo(Status.PASS);
        assertThat(ops.lifecycle()).isEqualTo(Lifecycle.READY);

        migrations.set(Status.FAIL);
        ops.refresh("db:migrations").get(5, TimeUnit.SECONDS);
        assertThat(ops.health(Probe.STARTUP).status()).isEqualTo(Status.PASS);
        assertThat(ops.health(Probe.READINESS).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void livenessHoldsOnlyLivenessChecksAndAnEmptyProbePasses() throws Exception {
        ops = Ops.builder().check(reg("db:ping", () -> Result.fail("down")).build()).build().start();
        ops.refreshAll().get(5, TimeUnit.SECONDS);
        HealthSnapshot live = ops.health(Probe.LIVENESS);
        assertThat(live.checks()).extracting(CheckState::name).containsExactly("opskit:engine");
        assertThat(live.status()).isEqualTo(Status.PASS);
        assertThat(ops.health(Probe.STARTUP).checks()).isEmpty();
        assertThat(ops.health(Probe.STARTUP).status()).isEqualTo(Status.PASS);
        assertThat(HealthSnapshot.aggregate(List.of())).isEqualTo(Status.PASS);
    }

    @Test
    void drainFailsReadinessAtOnceThenStops() throws Exception {
        ops = Ops.builder().check(reg("db:ping", Result::pass).build()).build().start();
        ops.refreshAll().get(5, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> ops.health(Probe.READINESS).status() == Status.PASS);
        Thread drainer = new Thread(() -> ops.drain(Duration.ofSeconds(1)));
        drainer.start();
        await().atMost(Duration.ofSeconds(2)).until(() -> ops.lifecycle() == Lifecycle.DRAINING);
        assertThat(ops.health(Probe.READINESS).status()).isEqualTo(Status.FAIL);
        assertThat(ops.health(Probe.READINESS).check("lifecycle:state").orElseThrow().result().output()).hasValue("draining");
        assertThat(ops.health(Probe.LIVENESS).status()).isEqualTo(Status.PASS);
        drainer.join(5000);
        assertThat(ops.lifecycle()).isEqualTo(Lifecycle.STOPPED);
        assertThat(engineThreadNames()).isEmpty();
    }

    @Test
    void initialDelayHoldsTheFirstRun() {
        AtomicInteger runs = new AtomicInteger();
        ops = Ops.builder().check(reg("late:check", () -> {
            runs.incrementAndGet();
            return Result.pass();
        }).initialDelay(Duration.ofMillis(400)).build()).build();
        long t0 = System.nanoTime();
        ops.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(350);
    }

    @Test
    void concurrentRefreshesShareOneExecution() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch gate = new CountDownLatch(1);
        ops = Ops.builder().check(reg("shared:run", () -> {
            runs.incrementAndGet();
            gate.await();
            return Result.pass();
        }).initialDelay(Duration.ofHours(1)).build()).build().start();
        List<java.util.concurrent.CompletableFuture<CheckState>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            futures.add(ops.refresh("shared:run"));
        }
        gate.countDown();
        for (var f : futures) {
            assertThat(f.get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.PASS);
        }
        assertThat(runs.get()).isEqualTo(1);
        assertThat(futures.stream().distinct().count()).isEqualTo(1);
    }

    @Test
    void aThrownExceptionIsAFailWithItsClassAndRedactedMessage() throws Exception {
        ops = Ops.builder().check(reg("db:ping", () -> {
            throw new java.sql.SQLException("cannot reach jdbc:postgresql://db/app?user=app&password=hunter2");
        }).build()).build().start();
        CheckState s = ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
        assertThat(s.status()).isEqualTo(Status.FAIL);
        assertThat(s.result().output().orElseThrow()).startsWith("java.sql.SQLException: cannot reach")
                .doesNotContain("hunter2").contains("password=****");
    }

    @Test
    void statusChangesReachListenersHistoryAndTheLogRedactedAndAFailingListenerIsSkipped() throws Exception {
        AtomicReference<Status> next = new AtomicReference<>(Status.PASS);
        List<StatusChangeEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        ops = Ops.builder().historySize(3).check(reg("redis:ping", () -> Result.of(next.get(),
                "redis://:s3cret@cache:6379 answered " + next.get()))
                .build()).build();
        ops.events().onStatusChange(e -> {
            throw new IllegalStateException("listener bug");
        });
        ops.events().onStatusChange(seen::add);
        try (LogCapture logs = new LogCapture()) {
            ops.start();
            ops.refresh("redis:ping").get(5, TimeUnit.SECONDS);
            next.set(Status.FAIL);
            ops.refresh("redis:ping").get(5, TimeUnit.SECONDS);
            next.set(Status.PASS);
            ops.refresh("redis:ping").get(5, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() >= 3);
            List<StatusChangeEvent> mine = seen.stream().filter(e -> e.check().equals("redis:ping")).toList();
            assertThat(mine).extracting(StatusChangeEvent::to).containsExactly(Status.PASS, Status.FAIL, Status.PASS);
            assertThat(mine.get(1).from()).hasValue(Status.PASS);
            assertThat(mine.get(2).isRecovery()).isTrue();
            assertThat(ops.events().history()).hasSize(3);
            assertThat(logs.lines()).anyMatch(l -> l.contains("redis:ping pass -> fail"));
            await().atMost(Duration.ofSeconds(10)).until(() -> logs.lines().stream()
                    .filter(l -> l.contains("listener") && l.contains("skipped")).count() == 3);
            assertThat(logs.lines()).noneMatch(l -> l.contains("s3cret"));
        }
    }

    @Test
    void manyConcurrentReadersAlwaysSeeAConsistentSnapshot() throws Exception {
        // every check counts its own runs and says so; a reader must never see a check go back in
        // time, a snapshot whose status disagrees with its checks by the rule of the docs, or a version go back
        Ops.Builder b = Ops.builder().threads(4);
        for (int i = 0; i < 20; i++) {
            AtomicInteger seq = new AtomicInteger();
            boolean critical = i % 2 == 0;
            b.check(CheckRegistration.builder("dep:c" + i, () -> {
                int n = seq.incrementAndGet();
                return Result.of(n % 3 == 0 ? Status.FAIL : n % 3 == 1 ? Status.WARN : Status.PASS, "run " + n);
            }).critical(critical).interval(Duration.ofMillis(5)).build());
        }
        ops = b.build().start();
        AtomicInteger inconsistencies = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        List<Thread> readers = new java.util.ArrayList<>();
        CountDownLatch enough = new CountDownLatch(4);
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
              try {
                long lastVersion = -1;
                java.util.Map<String, Integer> lastRun = new java.util.HashMap<>();
                int versionsSeen = 0;
                while (versionsSeen < 50 || reads.get() < 1000) {
                    HealthSnapshot s = ops.health(Probe.READINESS);
                    reads.incrementAndGet();
                    if (s.version() != lastVersion) {
                        versionsSeen++;
                    }
                    Status expected = Status.PASS;
                    for (CheckState c : s.checks()) {
                        Status own = c.status();
                        Status counted = own == Status.FAIL && !c.critical() ? Status.WARN : own;
                        expected = counted.ordinal() > expected.ordinal() ? counted : expected;
                        String out = c.result().output().orElse("");
                        if (out.startsWith("run ")) {
                            int run = Integer.parseInt(out.substring(4));
                            Integer before = lastRun.put(c.name(), run);
                            if (before != null && run < before) {
                                inconsistencies.incrementAndGet();
                            }
                        }
                    }
                    if (s.status() != expected || s.version() < lastVersion || s.checks().size() != 21) {
                        inconsistencies.incrementAndGet();
                    }
                    lastVersion = s.version();
                }
              } catch (RuntimeException e) {
                inconsistencies.incrementAndGet();
              } finally {
                enough.countDown();
              }
            });
            th.setDaemon(true);
            th.start();
            readers.add(th);
        }
        assertThat(enough.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(reads.get()).isGreaterThan(1000);
        assertThat(inconsistencies.get()).isZero();
    }

    @Test
    void checksCanBeRegisteredAndRemovedWhileRunning() throws Exception {
        ops = Ops.builder().build().start();
        ops.register(CheckRegistration.builder("late:one", Result::pass).build());
        await().atMost(Duration.ofSeconds(5)).until(() -> ops.check("late:one").map(c -> !c.pending()).orElse(false));
        assertThat(ops.unregister("late:one")).isTrue();
        assertThat(ops.check("late:one")).isEmpty();
        assertThat(ops.unregister("late:one")).isFalse();
    }
}
