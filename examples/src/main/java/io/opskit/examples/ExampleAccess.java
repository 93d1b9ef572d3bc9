package io.opskit.examples;

import io.opskit.core.endpoint.OpsAccess;
import io.opskit.core.endpoint.OpsSurfaceConfig;
import io.opskit.core.endpoint.Role;
import io.opskit.core.endpoint.Visibility;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may use the example's operations surface, from the environment:
 * {@code OPS_VIEWER_TOKEN} (reads {@code /ops/*}, sees check names and details) and
 * {@code OPS_OPERATOR_TOKEN} (also switches maintenance, changes log levels, records JFR), each at
 * least 16 characters; without them {@code /ops/*} answers 401. {@code OPS_SHOW_DETAILS}:
 * {@code when-authorized} (default: anonymous callers see the aggregate status only),
 * {@code always} or {@code never}.
 *
 * @param viewerToken   {@code OPS_VIEWER_TOKEN}
 * @param operatorToken {@code OPS_OPERATOR_TOKEN}
 * @param showDetails   {@code OPS_SHOW_DETAILS}
 */
public record ExampleAccess(Optional<String> viewerToken, Optional<String> operatorToken, Visibility showDetails) {

    /** Reads the tokens and the details policy; a bad value is an {@link ExampleConfig.BadConfig} naming the variable. */
    public static ExampleAccess from(Map<String, String> env) {
        Optional<String> viewer = token(env, "OPS_VIEWER_TOKEN");
        Optional<String> operator = token(env, "OPS_OPERATOR_TOKEN");
        if (viewer.isPresent() && viewer.equals(operator)) {
            throw new ExampleConfig.BadConfig("OPS_VIEWER_TOKEN and OPS_OPERATOR_TOKEN must differ: give each role its own secret");
        }
        Visibility details;
        try {
            details = Visibility.parse(Optional.ofNullable(env.get("OPS_SHOW_DETAILS")).filter(v -> !v.isBlank())
                    .orElse("when-authorized"));
        } catch (IllegalArgumentException e) {
            throw new ExampleConfig.BadConfig("OPS_SHOW_DETAILS must be 'when-authorized', 'always' or 'never', but was '"
                    + env.get("OPS_SHOW_DETAILS") + "'");
        }
        return new ExampleAccess(viewer, operator, details);
    }

    /** The surface configuration: the tokens, and who sees check names and details. */
    public OpsSurfaceConfig surfaceConfig() {
        return surfaceConfig(true);
    }

    /** The /ops paths of the library and the example's modules, hidden on the API port when a management port serves them. */
    static final List<String> OPS_PATHS = List.of("/ops/events", "/ops/maintenance", "/ops/info", "/ops/loggers",
            "/ops/threaddump", "/ops/heapdump", "/ops/jfr", "/ops/slow-queries", "/ops/leaks", "/ops/pool",
            "/ops/maintenance-store");

    /** The surface's settings; without {@code withOps}, only health, probes and metrics (the API port beside a management port). */
    OpsSurfaceConfig surfaceConfig(boolean withOps) {
        OpsAccess.Builder access = OpsAccess.builder().showComponents(showDetails == Visibility.NEVER
                ? Visibility.WHEN_AUTHORIZED : showDetails).showDetails(showDetails);
        viewerToken.ifPresent(t -> access.token("viewer", t, Role.VIEWER));
        operatorToken.ifPresent(t -> access.token("operator", t, Role.OPERATOR));
        OpsSurfaceConfig.Builder b = OpsSurfaceConfig.builder().access(access.build());
        if (!withOps) {
            OPS_PATHS.forEach(p -> b.expose(p, false));
        }
        return b.build();
    }

    private static Optional<String> token(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        v = v.trim();
        if (v.length() < OpsAccess.MIN_TOKEN_LENGTH || v.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
            throw new ExampleConfig.BadConfig(name + " must be at least " + OpsAccess.MIN_TOKEN_LENGTH
                    + " printable characters, but has " + v.length() + ": use e.g. 'openssl rand -hex 32'");
        }
        return Optional.of(v);
    }
}
