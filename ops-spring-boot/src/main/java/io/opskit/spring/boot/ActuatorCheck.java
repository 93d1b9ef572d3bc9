package io.opskit.spring.boot;

import io.opskit.core.CheckState;
import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An Actuator health indicator run as an opskit check: on opskit's workers, under the check's
 * deadline. It keeps the indicator's last health with the result it became, so the endpoint can
 * answer with Boot's own health (status, details) whenever opskit reports that same result.
 *
 * @param <H> the Boot line's {@code Health}
 */
final class ActuatorCheck<H> implements HealthCheck {

    /** One finished run: the indicator's health and the opskit result it was mapped to. */
    private record Observed<H>(H health, Result result) {
    }

    private final Supplier<H> indicator;
    private final Function<H, Result> toResult;
    private final AtomicReference<Observed<H>> last = new AtomicReference<>();

    /**
     * @param indicator runs the indicator, with details
     * @param toResult  maps one of its answers to an opskit result
     */
    ActuatorCheck(Supplier<H> indicator, Function<H, Result> toResult) {
        this.indicator = indicator;
        this.toResult = toResult;
    }

    @Override
    public Result check() {
        H health = indicator.get();
        if (health == null) {
            return Result.warn("the health indicator returned no health");
        }
        Result result = toResult.apply(health);
        last.set(new Observed<>(health, result));
        return result;
    }

    /**
     * The indicator's own last health when {@code state} reports exactly that run: no deadline
     * passed, no hysteresis holding an older status, not stale, not pending.
     */
    Optional<H> reportedIn(CheckState state) {
        Observed<H> observed = last.get();
        if (observed == null || state.pending() || state.stale() || state.status() != state.result().status()
                || state.contribution() != state.status()) {
            return Optional.empty();
        }
        Result reported = state.result();
        return observed.result().status() == reported.status() && observed.result().output().equals(reported.output())
                && observed.result().details().equals(reported.details()) ? Optional.of(observed.health()) : Optional.empty();
    }
}
