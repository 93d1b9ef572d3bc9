package io.opskit.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opskit.core.maintenance.MaintenanceState;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The value of the maintenance key and the message on its channel:
 * {@code {"enabled":true,"reason":"…","since":"…","expectedEnd":"…","setBy":"…"}}. Reading is lenient so an
 * operator can type it in {@code redis-cli}: only {@code enabled} is required, {@code since} defaults to now.
 */
final class MaintenanceJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MaintenanceJson() {
    }

    static String write(MaintenanceState state) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("enabled", state.enabled());
        node.put("reason", state.reason());
        node.put("since", state.since().toString());
        state.expectedEnd().ifPresent(end -> node.put("expectedEnd", end.toString()));
        node.put("setBy", state.source());
        return node.toString();
    }

    /** Reads a state whose source is {@code source}; throws IllegalArgumentException naming what is wrong. */
    static MaintenanceState read(String json, String source, Clock clock) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + abbreviate(json));
        }
        if (node == null || !node.isObject() || !node.has("enabled")) {
            throw new IllegalArgumentException("not a maintenance state, expected {\"enabled\":true|false,…} but was "
                    + abbreviate(json));
        }
        JsonNode enabled = node.get("enabled");
        boolean on = enabled.isBoolean() ? enabled.booleanValue()
                : "true".equalsIgnoreCase(enabled.asText()) || "on".equalsIgnoreCase(enabled.asText());
        String reason = node.path("reason").asText("");
        Instant since = instant(node, "since").orElseGet(clock::instant);
        Optional<Instant> end = instant(node, "expectedEnd");
        return new MaintenanceState(on, reason, since, end, source);
    }

    private static Optional<Instant> instant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.asText().isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(value.asText()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 instant like 2026-11-23T22:00:00Z, but was '"
                    + abbreviate(value.asText()) + "'");
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "…" : text;
    }
}
