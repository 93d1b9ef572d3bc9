package io.opskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.HealthEndpoint;
import io.opskit.core.endpoint.ShowDetails;
import io.opskit.core.endpoint.contract.MovableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's promises under adversity: each test tries to break one, deterministically
 * (latches, an injected ticker and clock, Awaitility on conditions; no sleep synchronises).
 */
class EngineAdversityTest {

    private static final Duration LONG = Duration.ofSeconds(30);
    private final List<Ops> opened = new ArrayList<>();
    private final CountDownLatch never = new CountDownLatch(1);

    @AfterEach
    void closeAll() {
        never.countDown();
        opened.forEach(Ops::close);
    }

    private Ops open(Ops.Builder b) {
        Ops ops = b.build();
        opened.add(ops);
        return ops;
    }

    private static CheckRegistration.Builder reg(String name, HealthCheck check) {
        return CheckRegistration.builder(name, check).interval(Duration.ofHours(1));
    }

    /** A check that never returns and swallows every interrupt: a socket read without a timeout. */
    private HealthCheck ignoresInterrupts(AtomicInteger started) {
        return () -> {
            started.incrementAndGet();
            while (true) {
                try {
                    never.await();
                    return Result.pass();
                } catch (InterruptedException ignored) {
                    // badly behaved on purpose
                }
            }
        };
    }

    @Test
    void aListenerBlockedForEverDelaysNoCheckNoPublicationAndNoOtherListener() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger flips = new AtomicInteger();
        Ops.Builder b = Ops.builder().eventQueueSize(64);
        for (int i = 0; i < 20; i++) {
            b.check(CheckRegistration.builder("dep:c" + i, () -> {
                runs.incrementAndGet();
                return Result.pass();
            }).interval(Duration.ofMillis(20)).build());
        }
        b.check(CheckRegistration.builder("flappy:dep", () -> flips.incrementAndGet() % 2 == 0 ? Result.fail("down") : Result.pass())
                .interval(Duration.ofMillis(20)).build());
        Ops ops = open(b);
        CountDownLatch blocked = new CountDownLatch(1);
        ops.events().onStatusChange(e -> {
            blocked.countDown();
            try {
                never.await();      // a webhook that never answers
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        List<StatusChangeEvent> seen = new CopyOnWriteArrayList<>();
        ops.events().onStatusChange(seen::add);
        try (LogCapture logs = new LogCapture()) {
            ops.start();
            assertThat(blocked.await(10, TimeUnit.SECONDS)).isTrue();
            int runsWhenBlocked = runs.get();
            long versionWhenBlocked = ops.health().version();
            // 20 checks every 20 ms: 50 rounds of them while the first listener is stuck
            await().atMost(LONG).until(() -> runs.get() >= runsWhenBlocked + 20 * 50);
            assertThat(ops.health().version()).isGreaterThan(versionWhenBlocked);
            assertThat(ops.health(Probe.LIVENESS).status()).isEqualTo(Status.PASS);
            assertThat(ops.health(Probe.READINESS).checks()).filteredOn(c -> c.name().startsWith("dep:"))
                    .allMatch(c -> c.status() == Status.PASS && !c.stale());
            // the other listener keeps hearing every change, in order: each starts where the last ended
            await().atMost(LONG).until(() -> seen.stream().filter(e -> e.check().equals("flappy:dep")).count() >= 40);
            List<StatusChangeEvent> flappy = seen.stream().filter(e -> e.check().equals("flappy:dep")).toList();
            for (int i = 1; i < flappy.size(); i++) {
                assertThat(flappy.get(i).from()).hasValue(flappy.get(i - 1).to());
            }
            // the blocked listener's queue is bounded: the oldest are dropped, counted and named once
            await().atMost(LONG).until(() -> ops.droppedEvents() > 0);
            await().atMost(LONG).until(() -> logs.lines().stream().anyMatch(l -> l.contains("is not keeping up")));
            assertThat(logs.lines().stream().filter(l -> l.contains("is not keeping up")).count()).isEqualTo(1);
            // the history and the log are complete and ordered whatever the listeners do
            List<StatusChangeEvent> history = ops.events().history().stream().filter(e -> e instanceof StatusChangeEvent)
                    .map(e -> (StatusChangeEvent) e).filter(e -> e.check().equals("flappy:dep")).toList();
            for (int i = 1; i < history.size(); i++) {
                assertThat(history.get(i).from()).hasValue(history.get(i - 1).to());
            }
        }
    }

    @Test
    void checksThatIgnoreInterruptsStarveNoHealthyCheck() {
        AtomicInteger stuckStarts = new AtomicInteger();
        AtomicInteger healthyRuns = new AtomicInteger();
        Ops.Builder b = Ops.builder().threads(2);
        for (int i = 0; i < 4; i++) {       // threads + 2 checks that never return
            b.check(CheckRegistration.builder("jdbc:noSocketTimeout" + i, ignoresInterrupts(stuckStarts))
                    .timeout(Duration.ofMillis(100)).interval(Duration.ofMillis(150)).build());
        }
        b.check(CheckRegistration.builder("healthy:dep", () -> {
            healthyRuns.incrementAndGet();
            return Result.pass();
        }).timeout(Duration.ofMillis(100)).interval(Duration.ofMillis(50)).build());
        Ops ops = open(b).start();

        await().atMost(LONG).until(() -> stuckStarts.get() == 4 && ops.health().checks().stream()
                .filter(c -> c.name().startsWith("jdbc:")).allMatch(c -> c.result().output().orElse("").contains("still running after")));
        int before = healthyRuns.get();
        await().atMost(LONG).until(() -> healthyRuns.get() >= before + 20);
        CheckState healthy = ops.check("healthy:dep").orElseThrow();
        assertThat(healthy.status()).isEqualTo(Status.PASS);
        assertThat(healthy.stale()).isFalse();
        assertThat(healthy.result().output().orElse("")).doesNotContain("not restarted");
        assertThat(stuckStarts.get()).isEqualTo(4);     // never started twice
        assertThat(ops.check("opskit:engine").orElseThrow().result().details()).containsEntry("stuck", 4);
    }

    @Test
    void aRunWaitingForAWorkerIsToldApartFromAHungOneAndCountsNothing() throws Exception {
        FakeTicker ticker = new FakeTicker();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger stuckStarts = new AtomicInteger();
        Ops ops = open(Ops.builder().ticker(ticker).meterRegistry(registry).threads(1).stuckThreads(0)
                .check(reg("jdbc:noSocketTimeout", ignoresInterrupts(stuckStarts)).timeout(Duration.ofMillis(100)).build())
                .check(reg("waiting:dep", Result::pass).initialDelay(Duration.ofMillis(50)).build())).start();
        await().atMost(LONG).until(() -> ops.check("jdbc:noSocketTimeout").orElseThrow().result().output()
                .orElse("").startsWith("timed out after 100ms"));
        ticker.advance(Duration.ofHours(2));
        await().atMost(LONG).until(() -> ops.check("waiting:dep").orElseThrow().stale());
        CheckState waiting = ops.check("waiting:dep").orElseThrow();
        assertThat(waiting.result().output().orElseThrow()).contains("waiting for a free worker").doesNotContain("timed out");
        assertThat(waiting.pending()).isTrue();
        assertThat(registry.get("opskit.health.check").tag("check", "waiting:dep").timer().count()).isZero();
        assertThat(ops.refresh("jdbc:noSocketTimeout").get(5, TimeUnit.SECONDS).result().output().orElseThrow())
                .contains("still running after").contains("not restarted");
        assertThat(stuckStarts.get()).isEqualTo(1);
    }

    @Test
    void aWallClockJumpOfAnHourEitherWayChangesNoStatus() {
        MovableClock clock = new MovableClock();
        AtomicInteger runs = new AtomicInteger();
        Ops ops = open(Ops.builder().clock(clock)
                .check(CheckRegistration.builder("db:ping", () -> {
                    runs.incrementAndGet();
                    return Result.pass();
                }).interval(Duration.ofMillis(50)).build()));
        List<StatusChangeEvent> seen = new CopyOnWriteArrayList<>();
        ops.events().onStatusChange(seen::add);
        ops.start();
        await().atMost(LONG).until(() -> ops.health(Probe.READINESS).status() == Status.PASS);
        await().atMost(LONG).until(() -> seen.size() == 1);
        for (Duration jump : List.of(Duration.ofHours(1), Duration.ofHours(-2))) {
            clock.advance(jump);
            long v = ops.health().version();
            int r = runs.get();
            // three heartbeats (each judges staleness) and a few dozen runs after the jump
            await().atMost(LONG).until(() -> runs.get() > r + 40 && ops.health().version() > v + 3);
            assertThat(ops.health(Probe.READINESS).status()).isEqualTo(Status.PASS);
            assertThat(ops.health(Probe.LIVENESS).status()).isEqualTo(Status.PASS);
            assertThat(ops.check("db:ping").orElseThrow().stale()).isFalse();
        }
        assertThat(seen).hasSize(1);    // pending -> pass, nothing since
    }

    @Test
    void aLateStartIsNotStaleness() throws Exception {
        FakeTicker ticker = new FakeTicker();
        CountDownLatch release = new CountDownLatch(1);
        Ops ops = open(Ops.builder().ticker(ticker)
                .check(reg("db:migrated", () -> {
                    release.await();
                    return Result.pass();
                }).timeout(Duration.ofMinutes(5)).build())
                .check(reg("deadlock:threads", Result::pass).probes(Probe.LIVENESS).initialDelay(Duration.ofHours(1)).build()));
        List<StatusChangeEvent> seen = new CopyOnWriteArrayList<>();
        ops.events().onStatusChange(seen::add);
        ticker.advance(Duration.ofMinutes(1));      // migrations ran for a minute before start()
        ops.start();
        long v = ops.health().version();
        await().atMost(LONG).until(() -> ops.health().version() > v + 2);   // two heartbeats judged staleness
        assertThat(ops.health().checks()).noneMatch(CheckState::stale);
        assertThat(ops.health(Probe.LIVENESS).status()).isEqualTo(Status.PASS);
        assertThat(seen).isEmpty();
        release.countDown();
        await().atMost(LONG).until(() -> ops.check("db:migrated").orElseThrow().status() == Status.PASS);
    }

    @Test
    void aStaleCheckWhoseNextResultFailsStaysFailAndNeverRecovers() throws Exception {
        FakeTicker ticker = new FakeTicker();
        AtomicReference<Status> next = new AtomicReference<>(Status.PASS);
        Ops ops = open(Ops.builder().ticker(ticker)
                // no run but the test's refreshes (no run at start, no tick for an hour): a run the timer started on
                // its own after the clock jump would bring a fresh result and the check would never turn stale
                .check(reg("cache:ping", () -> Result.of(next.get(), "raw " + next.get())).failureThreshold(3)
                        .initialDelay(Duration.ofHours(1)).build()));
        List<StatusChangeEvent> seen = new CopyOnWriteArrayList<>();
        ops.events().onStatusChange(seen::add);
        ops.start();
        assertThat(ops.refresh("cache:ping").get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.PASS);

        ticker.advance(Duration.ofHours(2));
        await().atMost(LONG).until(() -> ops.check("cache:ping").orElseThrow().stale());
        next.set(Status.FAIL);
        CheckState after = ops.refresh("cache:ping").get(5, TimeUnit.SECONDS);
        assertThat(after.status()).isEqualTo(Status.FAIL);
        assertThat(after.result().output().orElseThrow()).isEqualTo("raw FAIL").doesNotContain("failing 1 of 3");
        assertThat(ops.health(Probe.READINESS).status()).isEqualTo(Status.FAIL);
        await().atMost(LONG).until(() -> seen.size() == 2);
        assertThat(seen).extracting(StatusChangeEvent::to).containsExactly(Status.PASS, Status.FAIL);
        assertThat(seen).noneMatch(StatusChangeEvent::isRecovery);

        next.set(Status.PASS);
        assertThat(ops.refresh("cache:ping").get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.PASS);
        await().atMost(LONG).until(() -> seen.size() == 3);
        assertThat(seen.get(2).isRecovery()).isTrue();
    }

    @Test
    void aPauseOfTheWholeProcessFailsNeitherLivenessNorAnyCheck() {
        FakeTicker ticker = new FakeTicker();
        Ops ops = open(Ops.builder().ticker(ticker)
                .check(CheckRegistration.builder("db:ping", Result::pass).interval(Duration.ofMillis(100)).build())).start();
        await().atMost(LONG).until(() -> ops.health(Probe.READINESS).status() == Status.PASS);
        long v = ops.health().version();
        await().atMost(LONG).until(() -> ops.health().version() > v + 1);

        ticker.advance(Duration.ofSeconds(12));       // a VM paused for 12 s: every clock moved, nothing ran
        for (int i = 0; i < 1000 && ops.check("opskit:engine").orElseThrow().result().time().equals(
                ops.check("opskit:engine").orElseThrow().result().time()); i++) {
            assertThat(ops.health(Probe.LIVENESS).status()).isEqualTo(Status.PASS);     // readers right after the pause
        }
        long after = ops.health().version();
        await().atMost(LONG).until(() -> ops.health().version() > after + 3);          // several beats later
        assertThat(ops.health(Probe.LIVENESS).status()).isEqualTo(Status.PASS);
        assertThat(ops.check("db:ping").orElseThrow().stale()).isFalse();
        assertThat(ops.health(Probe.READINESS).status()).isEqualTo(Status.PASS);
    }

    @Test
    void drainRacingMarkReadyAndAutoReadyNeverEndsReady() throws Exception {
        CyclicBarrier go = new CyclicBarrier(2);
        for (int round = 0; round < 300; round++) {
            Ops ops = Ops.builder().check(reg("db:ping", Result::pass).build()).build().start();
            AtomicBoolean readyAfterDrain = new AtomicBoolean();
            Thread ready = new Thread(() -> {
                try {
                    go.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                ops.markReady();
            });
            ready.start();
            go.await();
            ops.drain(Duration.ZERO);
            ready.join();
            readyAfterDrain.set(ops.markReady());
            assertThat(ops.lifecycle()).isEqualTo(Lifecycle.STOPPED);
            assertThat(readyAfterDrain).isFalse();
            assertThat(ops.health(Probe.READINESS).status()).isEqualTo(Status.FAIL);
        }
    }

    @Test
    void eightThreadsRegisteringAndUnregisteringWhileReadersReadKeepMetricsExact() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Ops ops = open(Ops.builder().meterRegistry(registry)).start();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        String name = "churn:c" + ((id * 7 + i) % 40);
                        try {
                            ops.register(CheckRegistration.builder(name, Result::pass).interval(Duration.ofMillis(20)).build());
                        } catch (IllegalArgumentException duplicate) {
                            ops.unregister(name);
                        }
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (int t = 0; t < 2; t++) {
            threads.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        ops.health(Probe.READINESS).status();
                        registry.getMeters().forEach(Meter::measure);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (int t = 0; t < 8; t++) {
            threads.get(t).join();
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
        List<String> names = ops.registrations().stream().map(CheckRegistration::name).sorted().toList();
        List<String> gauges = registry.find("opskit.health.status").gauges().stream().map(g -> g.getId().getTag("check"))
                .filter(n -> n.startsWith("churn:")).sorted().toList();
        List<String> timers = registry.find("opskit.health.check").timers().stream().map(g -> g.getId().getTag("check"))
                .filter(n -> n.startsWith("churn:")).sorted().toList();
        assertThat(gauges).isEqualTo(names);
        assertThat(timers).isEqualTo(names);
        assertThat(ops.engine().ticksScheduled() - ops.engine().ticksCancelled()).isEqualTo(names.size());
    }

    @Test
    void registeringWhileStartingSchedulesEveryCheckExactlyOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            Ops ops = Ops.builder().build();
            CyclicBarrier go = new CyclicBarrier(2);
            Thread registrar = new Thread(() -> {
                try {
                    go.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 5; i++) {
                    ops.register(reg("race:c" + i, Result::pass).build());
                }
            });
            registrar.start();
            go.await();
            ops.start();
            registrar.join();
            assertThat(ops.engine().ticksScheduled()).isEqualTo(5);
            assertThat(ops.unregister("race:c0")).isTrue();
            assertThat(ops.engine().ticksScheduled() - ops.engine().ticksCancelled()).isEqualTo(4);
            ops.close();
        }
    }

    @Test
    void closeDuringRunsPublishesNoStatusChangeAndNoWarning() throws Exception {
        CountDownLatch running = new CountDownLatch(20);
        Ops.Builder b = Ops.builder().threads(20);
        for (int i = 0; i < 20; i++) {
            b.check(reg("slow:c" + i, () -> {
                running.countDown();
                never.await();
                return Result.pass();
            }).timeout(Duration.ofMinutes(1)).build());
        }
        Ops ops = b.build();
        List<StatusChangeEvent> seen = new CopyOnWriteArrayList<>();
        ops.events().onStatusChange(seen::add);
        try (LogCapture logs = new LogCapture()) {
            ops.start();
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            ops.close();
            assertThat(ops.events().history()).isEmpty();
            assertThat(logs.lines()).noneMatch(l -> l.contains("interrupted") || l.contains("-> fail"));
        }
        assertThat(seen).isEmpty();
    }

    @Test
    void anUnrenderableDetailAndAFiveMegabyteOutputBreakNoView() throws Exception {
        Map<String, Object> selfContaining = new HashMap<>();
        selfContaining.put("me", selfContaining);
        Object plain = new Object() {
            @Override
            public String toString() {
                throw new IllegalStateException("toString is broken too");
            }
        };
        String huge = "x".repeat(5 * 1024 * 1024);
        Ops ops = open(Ops.builder()
                .check(reg("weird:detail", () -> Result.pass().withDetail("plain", plain).withDetail("loop", selfContaining)
                        .withDetail("list", List.of(new Object(), 1, "two")).withObservedValue(new Object(), "things")).build())
                .check(reg("huge:output", () -> Result.fail(huge + " password=hunter2")).build())
                .check(reg("huge:exception", () -> {
                    throw new IllegalStateException(huge);
                }).build())).start();
        ops.refreshAll().get(10, TimeUnit.SECONDS);
        HealthEndpoint endpoint = HealthEndpoint.create(ops, ShowDetails.ALWAYS);
        for (String path : List.of("", "live", "ready", "started", "weird:detail", "huge:output", "huge:exception")) {
            EndpointResponse r = endpoint.handle(path, EndpointRequest.of("GET", "127.0.0.1"));
            assertThat(r.status()).isIn(200, 503);
            assertThat(r.length()).isLessThan(64 * 1024);
        }
        String out = ops.check("huge:output").orElseThrow().result().output().orElseThrow();
        assertThat(out.length()).isLessThan(2100);
        assertThat(out).endsWith(" more");
        assertThat(ops.check("huge:exception").orElseThrow().result().output().orElseThrow().length()).isLessThan(2100);
        String body = endpoint.handle("weird:detail", EndpointRequest.of("GET", "127.0.0.1")).bodyText();
        assertThat(body).contains("\"plain\"").contains("\"loop\"");
    }

    @Test
    void closedHealthMetricsStayClosedWhateverRunsNext() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Ops ops = open(Ops.builder().bindHealthMetrics(false).check(reg("db:ping", Result::pass).build())).start();
        HealthMetrics metrics = new HealthMetrics(ops, List.of());
        metrics.bindTo(registry);
        ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
        assertThat(registry.find("opskit.health.check").timers()).isNotEmpty();
        metrics.close();
        assertThat(registry.getMeters()).isEmpty();
        ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
        ops.register(reg("late:check", Result::pass).build());
        ops.refresh("late:check").get(5, TimeUnit.SECONDS);
        assertThat(registry.getMeters()).isEmpty();
    }
}
