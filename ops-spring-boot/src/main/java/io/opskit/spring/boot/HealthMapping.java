package io.opskit.spring.boot;

import io.opskit.core.CheckState;
import io.opskit.core.Result;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Translates between Spring Boot's {@link Status} and opskit's {@link io.opskit.core.Status}.
 *
 * <p>Boot to opskit: {@code UP} is PASS, {@code DOWN} and {@code OUT_OF_SERVICE} are FAIL,
 * {@code UNKNOWN} and custom statuses are WARN. opskit to Boot: PASS is {@code UP}, FAIL of a
 * critical check is {@code DOWN}, and WARN (also a non-critical check's FAIL, which by opskit's
 * readiness rule must not take the instance out of the load balancer) is the status {@code WARN}:
 * shown on the component, answered with 200, and left out of the aggregate unless
 * {@code management.endpoint.health.status.order} names it.
 */
final class HealthMapping {

    /** The status opskit's warnings have in Actuator. */
    static final Status WARN = new Status("WARN");

    private HealthMapping() {
    }

    /** The opskit status of a Boot status. */
    static io.opskit.core.Status toOpskit(Status status) {
        if (Status.UP.equals(status)) {
            return io.opskit.core.Status.PASS;
        }
        if (Status.DOWN.equals(status) || Status.OUT_OF_SERVICE.equals(status)) {
            return io.opskit.core.Status.FAIL;
        }
        return io.opskit.core.Status.WARN;
    }

    /** The opskit result of one Boot health: status, the error or status as output, the details. */
    static Result toResult(Health health) {
        io.opskit.core.Status status = toOpskit(health.getStatus());
        Object error = health.getDetails().get("error");
        String output = error != null ? String.valueOf(error)
                : status == io.opskit.core.Status.PASS ? "" : "status " + health.getStatus().getCode();
        Result result = Result.of(status, output);
        try {
            return result.withDetails(withoutNulls(health.getDetails()));
        } catch (RuntimeException e) {
            return result;    // a detail opskit cannot copy never breaks the check
        }
    }

    /** The Boot health of an opskit check state, as opskit reports it (hysteresis, staleness, deadline). */
    static Health toHealth(CheckState state) {
        io.opskit.core.Status contribution = state.contribution();
        Status status = contribution == io.opskit.core.Status.PASS ? Status.UP
                : contribution == io.opskit.core.Status.FAIL ? Status.DOWN : WARN;
        Health.Builder b = Health.status(status).withDetails(state.result().details());
        state.result().output().ifPresent(o -> b.withDetail("output", o));
        state.result().observedValue().ifPresent(v -> b.withDetail("observedValue", v));
        state.result().observedUnit().ifPresent(u -> b.withDetail("observedUnit", u));
        if (state.status() != contribution || state.status() != state.result().status()) {
            b.withDetail("opskitStatus", state.status().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!state.critical()) {
            b.withDetail("critical", false);
        }
        if (state.stale()) {
            b.withDetail("stale", true);
        }
        if (!state.result().time().equals(java.time.Instant.EPOCH)) {
            b.withDetail("checkedAt", state.result().time().toString());
        }
        return b.build();
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> details) {
        if (!details.containsValue(null)) {
            return details;
        }
        Map<String, Object> copy = new java.util.LinkedHashMap<>();
        details.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }
}
