package io.opskit.spring.boot;

import io.opskit.core.CheckState;
import io.opskit.core.Result;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Translates between Spring Boot's health statuses (by their codes, the same on every Boot line)
 * and opskit's {@link io.opskit.core.Status}.
 *
 * <p>Boot to opskit: {@code UP} is PASS, {@code DOWN} and {@code OUT_OF_SERVICE} are FAIL,
 * {@code UNKNOWN} and custom statuses are WARN. opskit to Boot: PASS is {@code UP}, FAIL of a
 * critical check is {@code DOWN}, and WARN (also a non-critical check's FAIL, which by opskit's
 * readiness rule must not take the instance out of the load balancer) is the status {@code WARN}:
 * shown on the component, answered with 200, and left out of the aggregate unless
 * {@code management.endpoint.health.status.order} names it.
 */
final class HealthMapping {

    /** The status code opskit's warnings have in Actuator. */
    static final String WARN = "WARN";
    static final String UP = "UP";
    static final String DOWN = "DOWN";
    static final String OUT_OF_SERVICE = "OUT_OF_SERVICE";

    private HealthMapping() {
    }

    /** The opskit status of a Boot status code. */
    static io.opskit.core.Status toOpskit(String code) {
        if (UP.equals(code)) {
            return io.opskit.core.Status.PASS;
        }
        if (DOWN.equals(code) || OUT_OF_SERVICE.equals(code)) {
            return io.opskit.core.Status.FAIL;
        }
        return io.opskit.core.Status.WARN;
    }

    /** The opskit result of one Boot health: status, the error or status as output, the details. */
    static Result toResult(String code, Map<String, Object> details) {
        io.opskit.core.Status status = toOpskit(code);
        Object error = details.get("error");
        String output = error != null ? String.valueOf(error)
                : status == io.opskit.core.Status.PASS ? "" : "status " + code;
        Result result = Result.of(status, output);
        try {
            return result.withDetails(withoutNulls(details));
        } catch (RuntimeException e) {
            return result;    // a detail opskit cannot copy never breaks the check
        }
    }

    /** The Boot status code of an opskit check state, as opskit reports it (hysteresis, staleness, deadline). */
    static String statusCode(CheckState state) {
        io.opskit.core.Status contribution = state.contribution();
        return contribution == io.opskit.core.Status.PASS ? UP : contribution == io.opskit.core.Status.FAIL ? DOWN : WARN;
    }

    /** The details Actuator shows for an opskit check state: the result's, then how opskit sees it. */
    static Map<String, Object> details(CheckState state) {
        Map<String, Object> details = new LinkedHashMap<>(state.result().details());
        state.result().output().ifPresent(o -> details.put("output", o));
        state.result().observedValue().ifPresent(v -> details.put("observedValue", v));
        state.result().observedUnit().ifPresent(u -> details.put("observedUnit", u));
        if (state.status() != state.contribution() || state.status() != state.result().status()) {
            details.put("opskitStatus", state.status().name().toLowerCase(Locale.ROOT));
        }
        if (!state.critical()) {
            details.put("critical", false);
        }
        if (state.stale()) {
            details.put("stale", true);
        }
        if (!state.result().time().equals(Instant.EPOCH)) {
            details.put("checkedAt", state.result().time().toString());
        }
        return details;
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> details) {
        if (!details.containsValue(null)) {
            return details;
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        details.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return copy;
    }
}
