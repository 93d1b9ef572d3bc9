package io.opskit.core.correlation;

import io.opskit.core.correlation.internal.CorrelatingExecutorService;
import io.opskit.core.correlation.internal.CorrelatingScheduledExecutorService;
import io.opskit.core.correlation.internal.IdGenerator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;
import org.slf4j.MDC;

/**
 * The correlation ID of the current thread, kept in the slf4j MDC under {@link #DEFAULT_MDC_KEY}
 * so every log line written while handling a request carries it.
 *
 * <pre>{@code
 * try (CorrelationId.Scope s = CorrelationId.open("req-42")) {
 *     log.info("handled");            // MDC correlationId=req-42
 * }                                   // previous value restored
 *
 * ExecutorService pool = CorrelationId.wrap(Executors.newFixedThreadPool(4));
 * pool.submit(() -> log.info("same ID as the submitter"));
 * CorrelationId.supplyAsync(() -> load(), pool).thenApplyAsync(this::render, pool);
 * }</pre>
 *
 * <p>Wrappers capture the ID of the thread that wraps (or submits) a task and run the task under
 * it; when there was none, the task runs with the key removed, so a pooled thread never leaks a
 * stale ID from an earlier task.
 */
public final class CorrelationId {

    /** The MDC key opskit uses by default. */
    public static final String DEFAULT_MDC_KEY = "correlationId";

    private static volatile String mdcKey = DEFAULT_MDC_KEY;

    private CorrelationId() {
    }

    /** The current thread's correlation ID, if any. */
    public static Optional<String> current() {
        return Optional.ofNullable(MDC.get(mdcKey));
    }

    /** The MDC key in use. */
    public static String mdcKey() {
        return mdcKey;
    }

    /**
     * Changes the MDC key opskit writes (e.g. {@code traceId} to match an existing log
     * pattern); must be a non-blank word.
     */
    public static void mdcKey(String key) {
        if (key == null || key.isBlank() || !key.matches("[A-Za-z0-9_.\\-]{1,64}")) {
            throw new IllegalArgumentException("mdcKey must be 1-64 letters, digits, '_', '.', '-', but was '" + key
                    + "': use e.g. 'correlationId'");
        }
        mdcKey = key;
    }

    /**
     * Makes {@code id} the current thread's correlation ID until the returned scope is closed,
     * which restores the previous value (or removes the key).
     */
    public static Scope open(String id) {
        String key = mdcKey;
        String previous = MDC.get(key);
        if (id == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, id);
        }
        return new Scope(key, previous);
    }

    /**
     * A fresh, random correlation ID: 32 lower-case hex characters (128 bits), valid under
     * {@link CorrelationIdFormat#DEFAULT} and usable as a W3C trace-id. Fast and lock-free: a
     * per-thread generator seeded once from {@code SecureRandom}.
     */
    public static String generate() {
        return IdGenerator.next();
    }

    /** Whether {@code id} is acceptable under {@link CorrelationIdFormat#DEFAULT}. */
    public static boolean isValid(CharSequence id) {
        return CorrelationIdFormat.DEFAULT.isValid(id);
    }

    /** {@code task} made to run under the correlation ID current now. */
    public static Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        String id = MDC.get(mdcKey);
        return () -> {
            Scope scope = open(id);
            try {
                task.run();
            } finally {
                scope.close();
            }
        };
    }

    /** {@code task} made to run under the correlation ID current now. */
    public static <V> Callable<V> wrap(Callable<V> task) {
        Objects.requireNonNull(task, "task");
        String id = MDC.get(mdcKey);
        return () -> {
            Scope scope = open(id);
            try {
                return task.call();
            } finally {
                scope.close();
            }
        };
    }

    /** {@code supplier} made to run under the correlation ID current now. */
    public static <T> Supplier<T> wrapSupplier(Supplier<T> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        String id = MDC.get(mdcKey);
        return () -> {
            Scope scope = open(id);
            try {
                return supplier.get();
            } finally {
                scope.close();
            }
        };
    }

    /**
     * An executor that runs each task under the correlation ID of the thread that hands it
     * over. Pass it to the {@code *Async} methods of {@link CompletableFuture} so every stage
     * keeps the ID.
     */
    public static Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        if (executor instanceof ScheduledExecutorService scheduled) {
            return wrap(scheduled);
        }
        if (executor instanceof ExecutorService service) {
            return wrap(service);
        }
        return command -> executor.execute(wrap(command));
    }

    /** An executor service that runs each task under the correlation ID of its submitter. */
    public static ExecutorService wrap(ExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        if (executor instanceof ScheduledExecutorService scheduled) {
            return wrap(scheduled);
        }
        return executor instanceof CorrelatingExecutorService ? executor : new CorrelatingExecutorService(executor);
    }

    /** A scheduled executor service that runs each task under the correlation ID of its submitter. */
    public static ScheduledExecutorService wrap(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return executor instanceof CorrelatingScheduledExecutorService
                ? executor : new CorrelatingScheduledExecutorService(executor);
    }

    /**
     * {@link CompletableFuture#supplyAsync(Supplier, Executor)} with the current correlation ID
     * carried into the supplier and into dependent stages that run on its completion; for later
     * {@code *Async} stages pass {@code wrap(executor)}.
     */
    public static <T> CompletableFuture<T> supplyAsync(Supplier<T> supplier, Executor executor) {
        // wrapping the executor (not just the supplier) keeps the ID while the future completes its dependents
        return CompletableFuture.supplyAsync(Objects.requireNonNull(supplier, "supplier"), wrap(executor));
    }

    /** {@link CompletableFuture#runAsync(Runnable, Executor)} with the current correlation ID carried into the task. */
    public static CompletableFuture<Void> runAsync(Runnable task, Executor executor) {
        return CompletableFuture.runAsync(Objects.requireNonNull(task, "task"), wrap(executor));
    }

    /** Restores the previous correlation ID when closed. Not thread-safe: close on the opening thread. */
    public static final class Scope implements AutoCloseable {
        private final String key;
        private final String previous;

        private Scope(String key, String previous) {
            this.key = key;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (previous == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, previous);
            }
        }
    }
}
