package io.opskit.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.opskit.core.HealthCheck;
import io.opskit.core.Result;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/** {@code redis:responseTime}: one PING round trip under the command timeout. */
final class PingCheck implements HealthCheck {

    private final RedisTarget target;
    private final Duration timeout;
    private final Duration slow;
    private final InfoCache cache;

    PingCheck(RedisTarget target, Duration timeout, Duration slow, InfoCache cache) {
        this.target = target;
        this.timeout = timeout;
        this.slow = slow;
        this.cache = cache;
    }

    @Override
    public Result check() throws Exception {
        long start = System.nanoTime();
        String reply;
        try {
            reply = Commands.run(target, timeout, "PING", RedisClusterAsyncCommands::ping);
        } catch (TimeoutException e) {
            cache.pingMillis(Double.NaN);
            return Result.fail(e.getMessage()).withDetail("timeoutMillis", timeout.toMillis());
        }
        double millis = (System.nanoTime() - start) / 1_000_000.0;
        cache.pingMillis(millis);
        double rounded = Math.round(millis * 100.0) / 100.0;
        if (!"PONG".equalsIgnoreCase(reply)) {
            return Result.fail("PING answered '" + reply + "' instead of PONG").withObservedValue(rounded, "ms");
        }
        if (millis >= slow.toMillis()) {
            return Result.warn(String.format(Locale.ROOT, "PING took %.1f ms (slow from %d ms)", millis, slow.toMillis()))
                    .withObservedValue(rounded, "ms");
        }
        return Result.pass().withObservedValue(rounded, "ms");
    }
}
