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
 * For a cluster every upstream node is judged and the fullest one decides.
 */
final class MemoryCheck implements HealthCheck {

    /** One node's figures. */
    private record Usage(String node, RedisInfo info, long used, long limit, String source, double percent) {
    }

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
        Map<String, RedisInfo> nodes = Commands.infoPerNode(target, timeout, "memory");
        Usage worst = null;
        Map<String, Object> perNode = new LinkedHashMap<>();
        for (Map.Entry<String, RedisInfo> node : nodes.entrySet()) {
            Usage u = usage(node.getKey(), node.getValue());
            perNode.put(node.getKey(), Double.isNaN(u.percent) ? "no limit known" : Percent.round(u.percent));
            if (worst == null || (!Double.isNaN(u.percent) && (Double.isNaN(worst.percent) || u.percent > worst.percent))) {
                worst = u;
            }
        }
        if (worst == null) {
            throw new IllegalStateException("no node answered INFO memory");
        }
        cache.update(worst.info);
        Map<String, Object> details = details(worst);
        if (nodes.size() > 1) {
            details.put("node", worst.node);
            details.put("nodes", perNode);
        }
        String where = nodes.size() > 1 ? "node " + worst.node + ": " : "";
        if (worst.limit <= 0) {
            cache.memoryLimitBytes(Double.NaN);
            return Result.pass(where + "using " + Percent.bytes(worst.used) + "; no limit known (maxmemory 0, no configured"
                    + " limit, host memory not reported)").withDetails(details);
        }
        cache.memoryLimitBytes(worst.limit);
        Status status = worst.percent >= failPercent ? Status.FAIL : worst.percent >= warnPercent ? Status.WARN : Status.PASS;
        String output = where + "using " + Percent.bytes(worst.used) + " of " + Percent.bytes(worst.limit) + " ("
                + Percent.format(worst.percent) + " of " + describe(worst.source) + ")";
        if (status != Status.PASS) {
            output += ", " + (status == Status.FAIL ? "fail from " + Percent.format(failPercent) : "warn from " + Percent.format(warnPercent));
        }
        return Result.of(status, output).withObservedValue(Percent.round(worst.percent), "percent").withDetails(details);
    }

    private Usage usage(String node, RedisInfo info) {
        long used = info.getLong("used_memory").orElseThrow(
                () -> new IllegalStateException("INFO memory has no used_memory field"));
        long maxmemory = info.getLong("maxmemory").orElse(0);
        long limit;
        String source;
        if (maxmemory > 0) {
            limit = maxmemory;
            source = "maxmemory";
        } else if (configuredLimit.isPresent()) {
            limit = configuredLimit.getAsLong();
            source = "configured";
        } else {
            limit = info.getLong("total_system_memory").orElse(0);
            source = "host";
        }
        return new Usage(node, info, used, limit, source, limit > 0 ? used * 100.0 / limit : Double.NaN);
    }

    private static Map<String, Object> details(Usage u) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("usedBytes", u.used);
        details.put("limitBytes", u.limit);
        details.put("limitSource", u.source);
        details.put("maxmemory", u.info.getLong("maxmemory").orElse(0));
        u.info.get("maxmemory_policy").ifPresent(p -> details.put("evictionPolicy", p));
        u.info.getDouble("mem_fragmentation_ratio").ifPresent(r -> details.put("fragmentationRatio", r));
        u.info.getLong("used_memory_peak").ifPresent(p -> details.put("peakBytes", p));
        return details;
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
