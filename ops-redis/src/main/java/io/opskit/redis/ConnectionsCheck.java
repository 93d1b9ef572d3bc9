package io.opskit.redis;

import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import io.opskit.core.Status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code redis:connections}: connected and blocked clients against {@code maxclients}, and the
 * connections the server rejected since the previous run.
 */
final class ConnectionsCheck implements HealthCheck {

    private final RedisTarget target;
    private final Duration timeout;
    private final double warnPercent;
    private final double failPercent;
    private final InfoCache cache;
    private long lastRejected = -1;

    ConnectionsCheck(RedisTarget target, Duration timeout, double warnPercent, double failPercent, InfoCache cache) {
        this.target = target;
        this.timeout = timeout;
        this.warnPercent = warnPercent;
        this.failPercent = failPercent;
        this.cache = cache;
    }

    @Override
    public Result check() throws Exception {
        RedisInfo info = Commands.info(target, timeout, "default");
        cache.update(info);
        long connected = info.getLong("connected_clients").orElseThrow(
                () -> new IllegalStateException("INFO has no connected_clients"));
        long blocked = info.getLong("blocked_clients").orElse(0);
        long rejected = info.getLong("rejected_connections").orElse(0);
        OptionalLong max = maxClients(info);
        max.ifPresent(m -> cache.maxClients(m));

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("connected", connected);
        details.put("blocked", blocked);
        long rejectedDelta = rejectedSinceLastRun(rejected);
        details.put("rejectedSinceLastCheck", rejectedDelta);
        details.put("rejectedTotal", rejected);
        max.ifPresent(m -> details.put("maxclients", m));
        info.get("role").ifPresent(r -> details.put("role", r));

        Status status = Status.PASS;
        List<String> outputs = new ArrayList<>();
        Double percent = null;
        if (max.isPresent() && max.getAsLong() > 0) {
            percent = connected * 100.0 / max.getAsLong();
            outputs.add(connected + " of " + max.getAsLong() + " clients connected (" + Percent.format(percent) + ")");
            if (percent >= failPercent) {
                status = Status.FAIL;
            } else if (percent >= warnPercent) {
                status = Status.WARN;
            }
        } else {
            outputs.add(connected + " clients connected; maxclients unknown");
        }
        if (blocked > 0) {
            outputs.add(blocked + " blocked");
        }
        if (rejectedDelta > 0) {
            outputs.add(rejectedDelta + " connections rejected since the last check");
            status = status.worst(Status.WARN);
        }
        Result result = Result.of(status, String.join(", ", outputs)).withDetails(details);
        return percent == null ? result.withObservedValue(connected, "clients")
                : result.withObservedValue(Percent.round(percent), "percent");
    }

    private synchronized long rejectedSinceLastRun(long rejected) {
        long delta = lastRejected < 0 || rejected < lastRejected ? 0 : rejected - lastRejected;
        lastRejected = rejected;
        return delta;
    }

    private OptionalLong maxClients(RedisInfo info) throws InterruptedException {
        OptionalLong fromInfo = info.getLong("maxclients"); // Redis 7 reports it in INFO clients
        if (fromInfo.isPresent()) {
            return fromInfo;
        }
        try {
            String value = Commands.configGet(target, timeout, "maxclients");
            return value.isBlank() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(value.strip()));
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            return OptionalLong.empty(); // CONFIG may be renamed or forbidden on managed Redis
        }
    }
}
