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
 * connections the server rejected since the previous run. For a cluster every upstream node is
 * judged and the fullest one decides; rejections are summed.
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
        Map<String, RedisInfo> nodes = Commands.infoPerNode(target, timeout, "default");
        OptionalLong configured = OptionalLong.empty();
        String worstNode = null;
        RedisInfo worst = null;
        double worstPercent = -1;
        long rejected = 0;
        Map<String, Object> perNode = new LinkedHashMap<>();
        for (Map.Entry<String, RedisInfo> node : nodes.entrySet()) {
            RedisInfo info = node.getValue();
            long connected = info.getLong("connected_clients").orElseThrow(
                    () -> new IllegalStateException("INFO has no connected_clients"));
            rejected += info.getLong("rejected_connections").orElse(0);
            OptionalLong max = info.getLong("maxclients"); // Redis 7 reports it in INFO clients
            if (max.isEmpty()) {
                if (configured.isEmpty()) {
                    configured = maxClientsFromConfig();
                }
                max = configured;
            }
            double percent = max.isPresent() && max.getAsLong() > 0 ? connected * 100.0 / max.getAsLong() : 0;
            perNode.put(node.getKey(), connected);
            if (worst == null || percent > worstPercent) {
                worst = RedisInfo.parse("maxclients:" + (max.isPresent() ? max.getAsLong() : "")).merge(info);
                worstNode = node.getKey();
                worstPercent = percent;
            }
        }
        if (worst == null) {
            throw new IllegalStateException("no node answered INFO");
        }
        cache.update(worst);
        long connected = worst.getLong("connected_clients").orElse(0);
        long blocked = worst.getLong("blocked_clients").orElse(0);
        OptionalLong max = worst.getLong("maxclients");
        max.ifPresent(m -> cache.maxClients(m));

        Map<String, Object> details = new LinkedHashMap<>();
        details.put("connected", connected);
        details.put("blocked", blocked);
        long rejectedDelta = rejectedSinceLastRun(rejected);
        details.put("rejectedSinceLastCheck", rejectedDelta);
        details.put("rejectedTotal", rejected);
        max.ifPresent(m -> details.put("maxclients", m));
        worst.get("role").ifPresent(r -> details.put("role", r));
        if (nodes.size() > 1) {
            details.put("node", worstNode);
            details.put("connectedByNode", perNode);
        }

        Status status = Status.PASS;
        List<String> outputs = new ArrayList<>();
        String where = nodes.size() > 1 ? "node " + worstNode + ": " : "";
        Double percent = null;
        if (max.isPresent() && max.getAsLong() > 0) {
            percent = connected * 100.0 / max.getAsLong();
            outputs.add(where + connected + " of " + max.getAsLong() + " clients connected (" + Percent.format(percent) + ")");
            if (percent >= failPercent) {
                status = Status.FAIL;
            } else if (percent >= warnPercent) {
                status = Status.WARN;
            }
        } else {
            outputs.add(where + connected + " clients connected; maxclients unknown");
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

    private OptionalLong maxClientsFromConfig() throws InterruptedException {
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
