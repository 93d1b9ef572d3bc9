package io.opskit.core.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

@SuppressWarnings("try") // scopes are opened for their effect on the MDC
class CorrelationIdTest {

    private static ExecutorService pool;

    @BeforeAll
    static void startPool() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stopPool() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void scopeSetsTheIdAndRestoresThePreviousOneOnClose() {
        try (CorrelationId.Scope outer = CorrelationId.open("outer")) {
            try (CorrelationId.Scope inner = CorrelationId.open("inner")) {
                assertThat(CorrelationId.current()).contains("inner");
            }
            assertThat(CorrelationId.current()).contains("outer");
        }
        assertThat(CorrelationId.current()).isEmpty();
        assertThat(MDC.get(CorrelationId.DEFAULT_MDC_KEY)).isNull();
    }

    @Test
    void generatedIdsAreThirtyTwoHexCharactersValidAndDistinct() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = CorrelationId.generate();
            assertThat(id).hasSize(32).matches("[0-9a-f]{32}");
            assertThat(CorrelationId.isValid(id)).isTrue();
            assertThat(Traceparent.traceId("00-" + id + "-00f067aa0ba902b7-01")).contains(id);
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void threadsGenerateDisjointIds() throws Exception {
        Set<String> seen = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Integer>> tasks = List.of(
                () -> generateInto(seen, start), () -> generateInto(seen, start));
        var futures = tasks.stream().map(pool::submit).toList();
        start.countDown();
        int total = 0;
        for (var f : futures) {
            total += f.get(10, TimeUnit.SECONDS);
        }
        assertThat(seen).hasSize(total);
    }

    private static int generateInto(Set<String> seen, CountDownLatch start) throws InterruptedException {
        start.await();
        for (int i = 0; i < 5_000; i++) {
            seen.add(CorrelationId.generate());
        }
        return 5_000;
    }

    @Test
    void wrappedRunnableRunsUnderTheIdOfTheThreadThatWrappedIt() throws Exception {
        CompletableFuture<Optional<String>> seen = new CompletableFuture<>();
        try (CorrelationId.Scope s = CorrelationId.open("req-1")) {
            Runnable task = () -> seen.complete(CorrelationId.current());
            pool.execute(CorrelationId.wrap(task));
        }
        assertThat(seen.get(5, TimeUnit.SECONDS)).contains("req-1");
    }

    @Test
    void wrappedTaskWithoutAnIdRemovesAStaleIdOfThePooledThread() throws Exception {
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            // leave a stale ID on the worker thread on purpose
            single.submit(() -> MDC.put(CorrelationId.DEFAULT_MDC_KEY, "stale")).get(5, TimeUnit.SECONDS);
            Optional<String> seen = single.submit(CorrelationId.wrap(CorrelationId::current)).get(5, TimeUnit.SECONDS);
            assertThat(seen).isEmpty();
            assertThat(single.submit(CorrelationId::current).get(5, TimeUnit.SECONDS)).contains("stale");
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void wrappedExecutorServiceCarriesTheSubmittersIdIntoEveryKindOfTask() throws Exception {
        ExecutorService wrapped = CorrelationId.wrap(pool);
        try (CorrelationId.Scope s = CorrelationId.open("req-2")) {
            assertThat(wrapped.submit(CorrelationId::current).get(5, TimeUnit.SECONDS)).contains("req-2");
            assertThat(wrapped.invokeAll(List.<Callable<Optional<String>>>of(CorrelationId::current))
                    .get(0).get(5, TimeUnit.SECONDS)).contains("req-2");
            assertThat(wrapped.invokeAny(List.<Callable<Optional<String>>>of(CorrelationId::current))).contains("req-2");
            CompletableFuture<Optional<String>> seen = new CompletableFuture<>();
            wrapped.execute(() -> seen.complete(CorrelationId.current()));
            assertThat(seen.get(5, TimeUnit.SECONDS)).contains("req-2");
        }
        assertThat(CorrelationId.wrap(wrapped)).isSameAs(wrapped);
    }

    @Test
    void wrappedScheduledExecutorCarriesTheIdIntoScheduledTasks() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            ScheduledExecutorService wrapped = CorrelationId.wrap(scheduler);
            try (CorrelationId.Scope s = CorrelationId.open("req-3")) {
                assertThat(wrapped.schedule(CorrelationId::current, 1, TimeUnit.MILLISECONDS).get(5, TimeUnit.SECONDS))
                        .contains("req-3");
            }
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void completableFutureStagesOnAWrappedExecutorKeepTheId() throws Exception {
        Executor executor = CorrelationId.wrap((Executor) pool);
        CompletableFuture<String> chain;
        try (CorrelationId.Scope s = CorrelationId.open("req-4")) {
            chain = CorrelationId.supplyAsync(() -> CorrelationId.current().orElse("none"), pool)
                    .thenApplyAsync(first -> first + "," + CorrelationId.current().orElse("none"), executor)
                    .thenCombineAsync(CorrelationId.runAsync(() -> { }, pool),
                            (text, ignored) -> text + "," + CorrelationId.current().orElse("none"), executor);
        }
        assertThat(chain.get(5, TimeUnit.SECONDS)).isEqualTo("req-4,req-4,req-4");
    }

    @Test
    void defaultValidatorAcceptsSafeIdsAndRejectsEverythingElse() {
        assertThat(CorrelationId.isValid("abc-DEF_123.4:5")).isTrue();
        assertThat(CorrelationId.isValid("a".repeat(128))).isTrue();
        assertThat(CorrelationId.isValid("a".repeat(129))).isFalse();
        assertThat(CorrelationId.isValid("")).isFalse();
        assertThat(CorrelationId.isValid(null)).isFalse();
        assertThat(CorrelationId.isValid("abc\r\nX-Injected: 1")).isFalse();
        assertThat(CorrelationId.isValid("\"quoted\"")).isFalse();
        assertThat(CorrelationId.isValid("with space")).isFalse();
        assertThat(CorrelationId.isValid("caf\u00e9")).isFalse();
        assertThat(CorrelationId.isValid("\u0000")).isFalse();
    }
}
