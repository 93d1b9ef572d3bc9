package io.opskit.redis;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest INFO figures the checks read, merged across sections, plus the figures the checks
 * computed (limit, window hit ratio, PING time). Gauges read this, so a scrape never talks to Redis.
 */
final class InfoCache {

    private final AtomicReference<RedisInfo> info = new AtomicReference<>(RedisInfo.empty());
    private volatile double memoryLimitBytes = Double.NaN;
    private volatile double hitRatio = Double.NaN;
    private volatile double pingMillis = Double.NaN;
    private volatile double maxClients = Double.NaN;

    void update(RedisInfo newer) {
        info.updateAndGet(old -> old.merge(newer));
    }

    RedisInfo info() {
        return info.get();
    }

    /** A numeric INFO field, or NaN when it was never seen. */
    double number(String key) {
        return info.get().getDouble(key).orElse(Double.NaN);
    }

    double memoryLimitBytes() {
        return memoryLimitBytes;
    }

    void memoryLimitBytes(double bytes) {
        this.memoryLimitBytes = bytes;
    }

    double memoryUtilization() {
        double used = number("used_memory");
        double limit = memoryLimitBytes;
        return limit > 0 ? used / limit : Double.NaN;
    }

    double hitRatio() {
        return hitRatio;
    }

    void hitRatio(double ratio) {
        this.hitRatio = ratio;
    }

    double pingMillis() {
        return pingMillis;
    }

    void pingMillis(double millis) {
        this.pingMillis = millis;
    }

    double maxClients() {
        return maxClients;
    }

    void maxClients(double max) {
        this.maxClients = max;
    }
}
