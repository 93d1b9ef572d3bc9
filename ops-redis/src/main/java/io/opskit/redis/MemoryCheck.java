package io.opskit.redis;

import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import io.opskit.core.Status;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code redis:memory}: {@code used_memory} against {@code maxmemory}; when {@code maxmemory} is 0
 * (no limit), against the configured limit, else the host's memory ({@code total_system_memory}).
 */
final class MemoryCheck implements HealthCheck {

    private final RedisTarget target;
    private final Duration timeout;
    private final OptionalLong configuredLimit;
    private final double warnPercent;
    private final double failPercent;
    private final InfoCache cache;

    MemoryCheck(RedisTarget target, Duration timeout, OptionalLong configuredLimit, double warnPercent,
                double failPercent, InfoCache cache) {
        this.target = target;
        this.timeout = timeout;
        this.configuredLimit = configuredLimit;
        this.warnPercent = warnPercent;
        this.failPercent = failPercent;
        this.cache = cache;
    }

    @Override
    public Result check() throws Exception {
        RedisInfo info = Commands.info(target, timeout, "memory");
        cache.update(info);
        long used = info.getLong("used_memory").orElseThrow(
                () -> new IllegalStateException("INFO memory has no used_memory field"));
        long maxmemory = info.getLong("maxmemory").orElse(0);
        long host = info.getLong("total_system_memory").orElse(0);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("usedBytes", used);
        String source;
        long limit;
        if (maxmemory > 0) {
            limit = maxmemory;
            source = "maxmemory";
        } else if (configuredLimit.isPresent()) {
            limit = configuredLimit.getAsLong();
            source = "configured";
        } else {
            limit = host;
            source = "host";
        }
        details.put("limitBytes", limit);
        details.put("limitSource", source);
        details.put("maxmemory", maxmemory);
        info.get("maxmemory_policy").ifPresent(p -> details.put("evictionPolicy", p));
        info.getDouble("mem_fragmentation_ratio").ifPresent(r -> details.put("fragmentationRatio", r));
        info.getLong("used_memory_peak").ifPresent(p -> details.put("peakBytes", p));
        if (limit <= 0) {
            cache.memoryLimitBytes(Double.NaN);
            return Result.pass("using " + Percent.bytes(used) + "; no limit known (maxmemory 0, no configured limit,"
                    + " host memory not reported)").withDetails(details);
        }
        cache.memoryLimitBytes(limit);
        double percent = used * 100.0 / limit;
        Status status = percent >= failPercent ? Status.FAIL : percent >= warnPercent ? Status.WARN : Status.PASS;
        String output = "using " + Percent.bytes(used) + " of " + Percent.bytes(limit) + " (" + Percent.format(percent)
                + " of " + describe(source) + ")";
        return Result.of(status, status == Status.PASS ? output : output + ", " + (status == Status.FAIL ? "fail" : "warn")
                        + " from " + Percent.format(status == Status.FAIL ? failPercent : warnPercent))
                .withObservedValue(Percent.round(percent), "percent")
                .withDetails(details);
    }

    private static String describe(String source) {
        switch (source) {
            case "maxmemory":
                return "maxmemory";
            case "configured":
                return "the configured limit, maxmemory is 0";
            default:
                return "the host's memory, maxmemory is 0";
        }
    }
}
