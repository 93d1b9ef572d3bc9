package io.opskit.redis;

import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import io.opskit.core.Status;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * {@code redis:hitRatio}: keyspace hits / (hits + misses) over the last window, from the deltas
 * between INFO samples (not since the server started). Not judged until enough lookups happened.
 */
final class HitRatioCheck implements HealthCheck {

    private record Sample(Instant time, long hits, long misses) {
    }

    private final RedisTarget target;
    private final Duration timeout;
    private final Duration window;
    private final long minLookups;
    private final double passPercent;
    private final double warnPercent;
    private final InfoCache cache;
    private final Clock clock;
    private final Deque<Sample> samples = new ArrayDeque<>();

    HitRatioCheck(RedisTarget target, Duration timeout, Duration window, long minLookups, double passPercent,
                  double warnPercent, InfoCache cache, Clock clock) {
        this.target = target;
        this.timeout = timeout;
        this.window = window;
        this.minLookups = minLookups;
        this.passPercent = passPercent;
        this.warnPercent = warnPercent;
        this.cache = cache;
        this.clock = clock;
    }

    @Override
    public Result check() throws Exception {
        long hits = 0;
        long misses = 0;
        for (RedisInfo info : Commands.infoPerNode(target, timeout, "stats").values()) { // a cluster: all upstream nodes
            hits += info.getLong("keyspace_hits").orElseThrow(() -> new IllegalStateException("INFO stats has no keyspace_hits"));
            misses += info.getLong("keyspace_misses").orElseThrow(() -> new IllegalStateException("INFO stats has no keyspace_misses"));
        }
        cache.update(RedisInfo.parse("keyspace_hits:" + hits + "\nkeyspace_misses:" + misses));
        return judge(new Sample(clock.instant(), hits, misses));
    }

    private synchronized Result judge(Sample now) {
        Sample last = samples.peekLast();
        if (last != null && (now.hits < last.hits || now.misses < last.misses)) {
            samples.clear(); // the counters went back: the server restarted or someone ran CONFIG RESETSTAT
        }
        samples.addLast(now);
        // keep one sample at or before the window's start as the baseline
        Instant start = now.time.minus(window);
        while (samples.size() > 2) {
            var it = samples.iterator();
            it.next();
            Sample second = it.next();
            if (!second.time.isAfter(start)) {
                samples.removeFirst();
            } else {
                break;
            }
        }
        Sample base = samples.peekFirst();
        long hitDelta = now.hits - base.hits;
        long lookups = hitDelta + (now.misses - base.misses);
        Duration span = Duration.between(base.time, now.time);
        if (lookups < minLookups) {
            cache.hitRatio(Double.NaN);
            return Result.pass("not judged: " + lookups + " lookups in the last " + describe(span) + ", need "
                            + minLookups)
                    .withDetail("lookups", lookups)
                    .withDetail("minLookups", minLookups)
                    .withDetail("windowSeconds", window.toSeconds());
        }
        double percent = hitDelta * 100.0 / lookups;
        cache.hitRatio(percent / 100.0);
        Status status = percent >= passPercent ? Status.PASS : percent >= warnPercent ? Status.WARN : Status.FAIL;
        String output = Percent.format(percent) + " of " + lookups + " lookups hit in the last " + describe(span);
        if (status != Status.PASS) {
            output += " (target " + Percent.format(passPercent) + ", acceptable " + Percent.format(warnPercent) + ")";
        }
        return Result.of(status, output)
                .withObservedValue(Percent.round(percent), "percent")
                .withDetail("hits", hitDelta)
                .withDetail("misses", lookups - hitDelta)
                .withDetail("windowSeconds", window.toSeconds());
    }

    private static String describe(Duration span) {
        long s = span.toSeconds();
        return s >= 120 ? (s / 60) + " min" : s + " s";
    }
}
