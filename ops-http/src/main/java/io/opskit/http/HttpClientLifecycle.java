package io.opskit.http;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.http.HttpClient;
import java.time.Duration;

/** Method handles of the JDK 21+ {@link HttpClient} lifecycle, or null on older JDKs. */
final class HttpClientLifecycle {

    static final MethodHandle SHUTDOWN = find("shutdown", void.class);
    static final MethodHandle SHUTDOWN_NOW = find("shutdownNow", void.class);
    static final MethodHandle IS_TERMINATED = find("isTerminated", boolean.class);
    static final MethodHandle AWAIT_TERMINATION = find("awaitTermination", boolean.class, Duration.class);

    private HttpClientLifecycle() {
    }

    private static MethodHandle find(String name, Class<?> returns, Class<?>... params) {
        try {
            return MethodHandles.publicLookup().findVirtual(HttpClient.class, name,
                    MethodType.methodType(returns, params));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    static Object invoke(MethodHandle handle, HttpClient target) {
        if (handle == null) {
            return null;
        }
        try {
            return handle.invoke(target);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
