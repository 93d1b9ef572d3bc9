package io.opskit.core.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.opskit.core.HealthCheck;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The health of one circuit breaker: CLOSED is PASS, HALF_OPEN is WARN (trial calls are
 * running), OPEN (and FORCED_OPEN) is FAIL for a critical breaker and WARN for one that is not;
 * DISABLED and METRICS_ONLY pass and say so. The observed value is the failure rate in percent
 * once enough calls were made; the details carry the state, the failure and slow-call rates,
 * their thresholds and the call counts.
 *
 * <p>Reading a breaker's state costs nothing and never calls the dependency. Most users bind
 * a whole registry with {@link BreakerHealth} instead of creating these one by one.
 */
public final class CircuitBreakerHealthCheck implements HealthCheck {

    private final CircuitBreaker breaker;
    private final boolean critical;

    private CircuitBreakerHealthCheck(CircuitBreaker breaker, boolean critical) {
        this.breaker = breaker;
        this.critical = critical;
    }

    /**
     * A check of {@code breaker}.
     *
     * @param critical whether an open breaker is FAIL (true) or only WARN (false)
     */
    public static CircuitBreakerHealthCheck of(CircuitBreaker breaker, boolean critical) {
        return new CircuitBreakerHealthCheck(Objects.requireNonNull(breaker, "breaker"), critical);
    }

    /** The breaker this check reads. */
    public CircuitBreaker breaker() {
        return breaker;
    }

    @Override
    public Result check() {
        CircuitBreaker.State state = breaker.getState();
        CircuitBreaker.Metrics m = breaker.getMetrics();
        CircuitBreakerConfig config = breaker.getCircuitBreakerConfig();
        float failureRate = m.getFailureRate();
        float slowCallRate = m.getSlowCallRate();
        String name = breaker.getName();
        String rates = rates(m, config);
        Result result = switch (state) {
            case CLOSED -> Result.pass("circuit breaker '" + name + "' is CLOSED" + rates);
            case HALF_OPEN -> Result.warn("circuit breaker '" + name + "' is HALF_OPEN: trial calls decide whether it closes"
                    + rates);
            case OPEN, FORCED_OPEN -> Result.of(critical ? Status.FAIL : Status.WARN, "circuit breaker '" + name + "' is "
                    + state + ": calls are refused without being tried" + rates
                    + (state == CircuitBreaker.State.OPEN ? "; a trial call is let through "
                    + wait(config) + " after it opened" : ""));
            case DISABLED, METRICS_ONLY -> Result.pass("circuit breaker '" + name + "' is " + state + ": it never refuses calls");
        };
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("breaker", name);
        details.put("state", state.name());
        details.put("critical", critical);
        if (failureRate >= 0) {
            details.put("failureRate", round(failureRate));
        }
        details.put("failureRateThreshold", round(config.getFailureRateThreshold()));
        if (slowCallRate >= 0) {
            details.put("slowCallRate", round(slowCallRate));
        }
        details.put("slowCallRateThreshold", round(config.getSlowCallRateThreshold()));
        details.put("bufferedCalls", m.getNumberOfBufferedCalls());
        details.put("failedCalls", m.getNumberOfFailedCalls());
        details.put("slowCalls", m.getNumberOfSlowCalls());
        details.put("notPermittedCalls", m.getNumberOfNotPermittedCalls());
        result = result.withDetails(details);
        return failureRate >= 0 ? result.withObservedValue(round(failureRate), "percent") : result;
    }

    private static String rates(CircuitBreaker.Metrics m, CircuitBreakerConfig config) {
        if (m.getFailureRate() < 0) {
            return " (" + m.getNumberOfBufferedCalls() + " of " + config.getMinimumNumberOfCalls()
                    + " calls needed to judge the failure rate)";
        }
        return String.format(Locale.ROOT, " (failure rate %.1f%% of %d calls, threshold %.1f%%; slow calls %.1f%%, threshold %.1f%%)",
                m.getFailureRate(), m.getNumberOfBufferedCalls(), config.getFailureRateThreshold(),
                m.getSlowCallRate(), config.getSlowCallRateThreshold());
    }

    private static String wait(CircuitBreakerConfig config) {
        long millis = config.getWaitIntervalFunctionInOpenState().apply(1);
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    private static double round(float percent) {
        return Math.round(percent * 10.0) / 10.0;
    }

    @Override
    public String toString() {
        return "CircuitBreakerHealthCheck{" + breaker.getName() + ", critical=" + critical + '}';
    }
}
