package io.opskit.core.breaker;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;

/**
 * opskit's defaults for resilience4j circuit breakers: a count-based window of the last
 * {@value #SLIDING_WINDOW_SIZE} calls, judged once {@value #MINIMUM_NUMBER_OF_CALLS} calls were made;
 * the breaker opens when {@value #FAILURE_RATE_THRESHOLD}% of them failed or
 * {@value #SLOW_CALL_RATE_THRESHOLD}% took longer than {@link #SLOW_CALL_DURATION_THRESHOLD};
 * it stays open for {@link #WAIT_DURATION_IN_OPEN_STATE}, then lets
 * {@value #PERMITTED_CALLS_IN_HALF_OPEN_STATE} trial calls through.
 *
 * <p>The transition from OPEN to HALF_OPEN happens on the first call after the wait, not on a
 * timer: resilience4j's automatic transition needs a scheduler thread that opskit would not own.
 *
 * <pre>{@code
 * CircuitBreakerRegistry registry = BreakerDefaults.registry();
 * CircuitBreakerConfig strict = BreakerDefaults.custom().failureRateThreshold(20).build();
 * }</pre>
 */
public final class BreakerDefaults {

    /** Calls in the count-based sliding window: 20. */
    public static final int SLIDING_WINDOW_SIZE = 20;
    /** Calls needed before the failure and slow-call rates are judged: 10. */
    public static final int MINIMUM_NUMBER_OF_CALLS = 10;
    /** Failure rate, in percent, at which the breaker opens: 50. */
    public static final float FAILURE_RATE_THRESHOLD = 50f;
    /** Share of slow calls, in percent, at which the breaker opens: 80. */
    public static final float SLOW_CALL_RATE_THRESHOLD = 80f;
    /** A call slower than this is slow: 2 seconds. */
    public static final Duration SLOW_CALL_DURATION_THRESHOLD = Duration.ofSeconds(2);
    /** How long an open breaker refuses calls before a trial: 30 seconds. */
    public static final Duration WAIT_DURATION_IN_OPEN_STATE = Duration.ofSeconds(30);
    /** Trial calls let through while half-open: 3. */
    public static final int PERMITTED_CALLS_IN_HALF_OPEN_STATE = 3;

    private static final CircuitBreakerConfig CONFIG = CircuitBreakerConfig.custom()
            .slidingWindowType(SlidingWindowType.COUNT_BASED)
            .slidingWindowSize(SLIDING_WINDOW_SIZE)
            .minimumNumberOfCalls(MINIMUM_NUMBER_OF_CALLS)
            .failureRateThreshold(FAILURE_RATE_THRESHOLD)
            .slowCallRateThreshold(SLOW_CALL_RATE_THRESHOLD)
            .slowCallDurationThreshold(SLOW_CALL_DURATION_THRESHOLD)
            .waitDurationInOpenState(WAIT_DURATION_IN_OPEN_STATE)
            .permittedNumberOfCallsInHalfOpenState(PERMITTED_CALLS_IN_HALF_OPEN_STATE)
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .build();

    private BreakerDefaults() {
    }

    /** The opskit default configuration. */
    public static CircuitBreakerConfig config() {
        return CONFIG;
    }

    /**
     * A resilience4j builder preset with the opskit defaults, to change one or two settings;
     * resilience4j's setters validate and name the bad value.
     */
    public static CircuitBreakerConfig.Builder custom() {
        // from(..) rather than re-applying the setters: resilience4j refuses a builder whose wait
        // duration was set twice, which would break a caller's own waitDurationInOpenState(..)
        return CircuitBreakerConfig.from(CONFIG);
    }

    /** A new registry whose breakers use the opskit defaults. */
    public static CircuitBreakerRegistry registry() {
        return CircuitBreakerRegistry.of(CONFIG);
    }
}
