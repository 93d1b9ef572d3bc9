package io.opskit.redis;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one run of the {@link RedisIdleClientReaper} did.
 *
 * @param time         when it ran
 * @param dryRun       whether it only reported ({@code terminated} then lists what it would have terminated)
 * @param examined     clients in {@code CLIENT LIST}
 * @param terminated   the clients it terminated (or would have, in a dry run)
 * @param skippedByCap matching clients left for the next run because of the cap per run
 * @param error        what went wrong, if the run failed
 */
public record RedisReaperRun(Instant time, boolean dryRun, int examined, List<RedisClientInfo> terminated,
                             int skippedByCap, Optional<String> error) {

    /** Validates and copies. */
    public RedisReaperRun {
        Objects.requireNonNull(time, "time");
        terminated = List.copyOf(terminated);
        Objects.requireNonNull(error, "error");
    }

    /** How many clients it terminated (or would have). */
    public int count() {
        return terminated.size();
    }
}
