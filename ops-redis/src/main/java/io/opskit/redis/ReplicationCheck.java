package io.opskit.redis;

import io.opskit.core.HealthCheck;
import io.opskit.core.Result;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code redis:replication}: the role and, for a replica, its link to the master. A replica whose
 * master link is down fails; one still syncing warns.
 */
final class ReplicationCheck implements HealthCheck {

    private final RedisTarget target;
    private final Duration timeout;
    private final InfoCache cache;

    ReplicationCheck(RedisTarget target, Duration timeout, InfoCache cache) {
        this.target = target;
        this.timeout = timeout;
        this.cache = cache;
    }

    @Override
    public Result check() throws Exception {
        RedisInfo info = Commands.info(target, timeout, "replication");
        cache.update(info);
        return judge(info);
    }

    static Result judge(RedisInfo info) {
        String role = info.get("role").orElse("unknown");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("role", role);
        if (!"slave".equals(role) && !"replica".equals(role)) {
            long replicas = info.getLong("connected_slaves").orElse(0);
            details.put("connectedReplicas", replicas);
            return Result.pass(role + " with " + replicas + " connected replica" + (replicas == 1 ? "" : "s"))
                    .withObservedValue(role, "")
                    .withDetails(details);
        }
        String link = info.get("master_link_status").orElse("unknown");
        details.put("masterLinkStatus", link);
        info.get("master_host").ifPresent(h -> details.put("masterHost", h));
        info.getLong("master_port").ifPresent(p -> details.put("masterPort", p));
        info.getLong("master_last_io_seconds_ago").ifPresent(s -> details.put("masterLastIoSecondsAgo", s));
        boolean syncing = "1".equals(info.get("master_sync_in_progress").orElse("0"));
        details.put("syncInProgress", syncing);
        if (!"up".equals(link)) {
            long downFor = info.getLong("master_link_down_since_seconds").orElse(-1);
            if (downFor >= 0) {
                details.put("masterLinkDownSeconds", downFor);
            }
            Result r = syncing ? Result.warn("replica is syncing with its master")
                    : Result.fail("replica's link to its master is " + link + (downFor >= 0 ? " for " + downFor + " s" : ""));
            return r.withObservedValue(role, "").withDetails(details);
        }
        return Result.pass("replica, link to master up").withObservedValue(role, "").withDetails(details);
    }
}
