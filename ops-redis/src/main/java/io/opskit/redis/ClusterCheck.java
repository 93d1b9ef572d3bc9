package io.opskit.redis;

import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import io.opskit.core.Status;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code redis:cluster}: {@code CLUSTER INFO}: the cluster state and its hash slots. A failed state
 * or a failed slot fails; a slot that may be failing ({@code pfail}) or is unassigned warns.
 */
final class ClusterCheck implements HealthCheck {

    /** Every Redis Cluster has this many hash slots. */
    static final long SLOTS = 16384;

    private final RedisTarget target;
    private final Duration timeout;

    ClusterCheck(RedisTarget target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
    }

    @Override
    public Result check() throws Exception {
        return judge(RedisInfo.parse(Commands.run(target, timeout, "CLUSTER INFO", c -> c.clusterInfo())));
    }

    static Result judge(RedisInfo info) {
        String state = info.get("cluster_state").orElse("unknown");
        long assigned = info.getLong("cluster_slots_assigned").orElse(0);
        long ok = info.getLong("cluster_slots_ok").orElse(0);
        long pfail = info.getLong("cluster_slots_pfail").orElse(0);
        long fail = info.getLong("cluster_slots_fail").orElse(0);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("state", state);
        details.put("slotsAssigned", assigned);
        details.put("slotsOk", ok);
        details.put("slotsPfail", pfail);
        details.put("slotsFail", fail);
        info.getLong("cluster_known_nodes").ifPresent(n -> details.put("knownNodes", n));
        info.getLong("cluster_size").ifPresent(n -> details.put("size", n));
        Status status;
        String output;
        if (!"ok".equals(state) || fail > 0) {
            status = Status.FAIL;
            output = "cluster state " + state + ": " + ok + " of " + SLOTS + " slots ok, " + fail + " failed, "
                    + (SLOTS - assigned) + " unassigned";
        } else if (pfail > 0 || assigned < SLOTS) {
            status = Status.WARN;
            output = "cluster state ok, but " + pfail + " slots possibly failing and " + (SLOTS - assigned) + " unassigned";
        } else {
            status = Status.PASS;
            output = "cluster state ok, all " + SLOTS + " slots ok";
        }
        return Result.of(status, output).withObservedValue(state, "").withDetails(details);
    }
}
