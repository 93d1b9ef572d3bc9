package io.opskit.spring.boot;

import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * An Actuator {@link HealthIndicator} run as an opskit check: on opskit's workers, under the
 * check's deadline. It keeps the indicator's last {@link Health} with the result it became, so the
 * endpoint can answer with Boot's own health (status, details) whenever opskit reports that same
 * result.
 */
final class ActuatorCheck implements HealthCheck {

    /** One finished run: the indicator's health and the opskit result it was mapped to. */
    record Observed(Health health, Result result) {
    }

    private final HealthIndicator indicator;
    private final AtomicReference<Observed> last = new AtomicReference<>();

    ActuatorCheck(HealthIndicator indicator) {
        this.indicator = indicator;
    }

    @Override
    public Result check() {
        Health health = indicator.health(true);
        if (health == null) {
            return Result.warn("the health indicator returned no health");
        }
        Result result = HealthMapping.toResult(health);
        last.set(new Observed(health, result));
        return result;
    }

    /** The last finished run, if any. */
    Optional<Observed> last() {
        return Optional.ofNullable(last.get());
    }

    /** The indicator this check runs. */
    HealthIndicator indicator() {
        return indicator;
    }
}
