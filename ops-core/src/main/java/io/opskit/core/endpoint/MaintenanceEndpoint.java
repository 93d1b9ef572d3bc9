package io.opskit.core.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opskit.core.maintenance.MaintenanceMode;
import io.opskit.core.maintenance.MaintenanceState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The operator endpoint of maintenance mode ({@code /ops/maintenance}): GET answers the state;
 * POST {@code {"enabled":true,"reason":"…","retryAfterSeconds":600}} switches it when the
 * request carries the secret in {@code X-Maintenance-Bypass} (compared in constant time).
 * Without the right secret it answers 403; when no secret is configured, switching is off and
 * POST answers 404. The secret never appears in an answer or a log.
 */
public final class MaintenanceEndpoint {

    /** The header that carries the operator secret. */
    public static final String SECRET_HEADER = "X-Maintenance-Bypass";
    /** The largest body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    private static final String JSON_TYPE = "application/json";
    private static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final MaintenanceMode mode;
    private final Optional<byte[]> secret;

    private MaintenanceEndpoint(MaintenanceMode mode, Optional<String> secret) {
        this.mode = mode;
        this.secret = secret.map(s -> s.getBytes(StandardCharsets.UTF_8));
    }

    /** An endpoint over {@code mode}; switching needs {@code secret}, and is off when it is empty. */
    public static MaintenanceEndpoint create(MaintenanceMode mode, Optional<String> secret) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(secret, "secret");
        if (secret.isPresent() && secret.get().length() < 8) {
            throw new IllegalArgumentException("maintenance secret must be at least 8 characters, but was "
                    + secret.get().length() + ": use a long random value");
        }
        return new MaintenanceEndpoint(mode, secret);
    }

    /** Answers one request; {@code body} is the request body (at most {@link #MAX_BODY_BYTES}). */
    public EndpointResponse handle(EndpointRequest request, byte[] body) {
        switch (request.method()) {
            case "GET":
            case "HEAD":
                return json(200, stateJson(mode.state()));
            case "POST":
                return post(request, body);
            default:
                return new EndpointResponse(405, JSON_TYPE, Map.of("Allow", "GET, HEAD, POST", "Cache-Control", "no-store"),
                        error("only GET, HEAD and POST"));
        }
    }

    private EndpointResponse post(EndpointRequest request, byte[] body) {
        if (secret.isEmpty()) {
            return new EndpointResponse(404, JSON_TYPE, NO_STORE, error("switching maintenance mode is off: no secret is configured"));
        }
        byte[] given = request.header(SECRET_HEADER).map(h -> h.getBytes(StandardCharsets.UTF_8)).orElse(new byte[0]);
        if (!MessageDigest.isEqual(secret.get(), given)) {
            return new EndpointResponse(403, JSON_TYPE, NO_STORE, error("missing or wrong " + SECRET_HEADER + " header"));
        }
        return apply(mode, body);
    }

    /**
     * This endpoint on the surface, where roles replace the secret header: GET the state for
     * viewers, POST {@code {"enabled":true,"reason":"…","retryAfterSeconds":600}} for operators.
     */
    public static OpsEndpoint operatorEndpoint(MaintenanceMode mode) {
        Objects.requireNonNull(mode, "mode");
        return OpsEndpoint.of("/ops/maintenance", Map.of("GET", Role.VIEWER, "POST", Role.OPERATOR),
                request -> "POST".equals(request.method()) ? apply(mode, request.body()) : json(200, stateJson(mode.state())));
    }

    private static EndpointResponse apply(MaintenanceMode mode, byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_BODY_BYTES) {
            return new EndpointResponse(400, JSON_TYPE, NO_STORE,
                    error("body must be JSON of at most 16 KiB: {\"enabled\":true,\"reason\":\"...\",\"retryAfterSeconds\":600}"));
        }
        JsonNode in;
        try {
            in = MAPPER.readTree(body);
        } catch (IOException e) {
            in = null;
        }
        if (in == null || !in.isObject() || !in.has("enabled") || !in.get("enabled").isBoolean()) {
            return new EndpointResponse(400, JSON_TYPE, NO_STORE,
                    error("body must be JSON with a boolean 'enabled': {\"enabled\":true,\"reason\":\"...\",\"retryAfterSeconds\":600}"));
        }
        if (!in.get("enabled").asBoolean()) {
            mode.disable();
            return json(200, stateJson(mode.state()));
        }
        String reason = in.hasNonNull("reason") ? in.get("reason").asText() : "";
        if (reason.length() > 500) {
            return new EndpointResponse(400, JSON_TYPE, NO_STORE, error("reason must be at most 500 characters"));
        }
        if (in.hasNonNull("retryAfterSeconds")) {
            JsonNode r = in.get("retryAfterSeconds");
            if (!r.canConvertToLong() || r.asLong() < 1 || r.asLong() > 7 * 24 * 3600) {
                return new EndpointResponse(400, JSON_TYPE, NO_STORE, error("retryAfterSeconds must be a whole number from 1 to 604800"));
            }
            mode.enable(reason, Duration.ofSeconds(r.asLong()));
        } else {
            mode.enable(reason);
        }
        return json(200, stateJson(mode.state()));
    }

    static ObjectNode stateJson(MaintenanceState s) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("enabled", s.enabled());
        out.put("reason", s.reason());
        out.put("since", s.since().toString());
        s.expectedEnd().ifPresent(e -> out.put("expectedEnd", e.toString()));
        s.retryAfterSeconds(Instant.now()).ifPresent(r -> out.put("retryAfterSeconds", r));
        out.put("source", s.source());
        return out;
    }

    private static EndpointResponse json(int status, ObjectNode node) {
        try {
            return new EndpointResponse(status, JSON_TYPE, NO_STORE, MAPPER.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] error(String message) {
        ObjectNode node = MAPPER.createObjectNode().put("error", message);
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
