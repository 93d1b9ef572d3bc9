package io.opskit.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a Lettuce future under a deadline: never longer, and cancels what it gave up on. */
final class Await {

    private Await() {
    }

    /**
     * The value of {@code stage}, or a {@link TimeoutException} naming {@code what} after {@code timeout}.
     * An {@link ExecutionException} is unwrapped to its cause; an interrupt cancels the command and is kept.
     */
    static <T> T get(CompletionStage<T> stage, Duration timeout, String what) throws Exception {
        CompletableFuture<T> future = stage.toCompletableFuture();
        try {
            return future.get(Math.max(1, timeout.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new TimeoutException(what + " got no answer within " + millis(timeout));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw e;
        }
    }

    /** A duration as people read it in an output: {@code 500 ms}, {@code 2 s}. */
    static String millis(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 && ms >= 1000 ? (ms / 1000) + " s" : ms + " ms";
    }
}
