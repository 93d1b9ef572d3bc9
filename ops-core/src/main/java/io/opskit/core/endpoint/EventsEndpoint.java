package io.opskit.core.endpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opskit.core.ActionEvent;
import io.opskit.core.OpsEvent;
import io.opskit.core.OpsEvents;
import io.opskit.core.StatusChangeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The recent status changes and remediation actions as JSON ({@code /ops/events}), newest
 * first: {@code {"events":[{"type":"status","source":…,"from":…,"to":…,"output":…,"time":…}, …]}}.
 * Everything in it was redacted when the event was made.
 */
public final class EventsEndpoint {

    /** The media type of the answer. */
    public static final String CONTENT_TYPE = "application/json";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final OpsEvents events;

    private EventsEndpoint(OpsEvents events) {
        this.events = events;
    }

    /** An endpoint over an event stream. */
    public static EventsEndpoint create(OpsEvents events) {
        return new EventsEndpoint(Objects.requireNonNull(events, "events"));
    }

    /** Answers a GET with the history, newest first. */
    public EndpointResponse handle(EndpointRequest request) {
        if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
            return new EndpointResponse(405, CONTENT_TYPE, Map.of("Allow", "GET, HEAD", "Cache-Control", "no-store"),
                    "{\"error\":\"only GET and HEAD\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return new EndpointResponse(200, CONTENT_TYPE, Map.of("Cache-Control", "no-store"), render(events.history()));
    }

    /**
     * This endpoint on the surface: {@code GET /ops/events} for viewers, with {@code ?limit=}
     * (1 to 1000, the newest) and {@code ?since=} (an ISO-8601 instant: only later events); outputs,
     * messages and details only for callers who may see details.
     */
    public OpsEndpoint asOpsEndpoint() {
        return OpsEndpoint.of("/ops/events", Map.of("GET", Role.VIEWER), this::handle);
    }

    private EndpointResponse handle(OpsRequest request) {
        int limit = Integer.MAX_VALUE;
        Optional<String> l = request.param("limit");
        if (l.isPresent()) {
            try {
                limit = Integer.parseInt(l.get());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > 1000) {
                return OpsResponses.error(400, "limit must be a whole number from 1 to 1000");
            }
        }
        Instant since = Instant.MIN;
        Optional<String> s = request.param("since");
        if (s.isPresent()) {
            try {
                since = Instant.parse(s.get());
            } catch (DateTimeParseException e) {
                return OpsResponses.error(400, "since must be an ISO-8601 instant, e.g. 2026-01-31T12:00:00Z");
            }
        }
        List<OpsEvent> history = events.history();
        List<OpsEvent> picked = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0 && picked.size() < limit; i--) {
            if (history.get(i).time().isAfter(since)) {
                picked.add(history.get(i));
            }
        }
        java.util.Collections.reverse(picked);
        return new EndpointResponse(200, CONTENT_TYPE, Map.of("Cache-Control", "no-store"), render(picked, request.showDetails()));
    }

    static byte[] render(List<OpsEvent> history) {
        return render(history, true);
    }

    static byte[] render(List<OpsEvent> history, boolean details) {
        ByteArrayBuilder out = new ByteArrayBuilder(256 + history.size() * 160);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("events");
            for (int i = history.size() - 1; i >= 0; i--) {
                OpsEvent e = history.get(i);
                g.writeStartObject();
                if (e instanceof StatusChangeEvent s) {
                    g.writeStringField("type", "status");
                    g.writeStringField("source", s.check());
                    g.writeStringField("from", s.from().map(io.opskit.core.Status::wireName).orElse("pending"));
                    g.writeStringField("to", s.to().wireName());
                    if (details) {
                        g.writeStringField("output", s.output());
                    }
                } else if (e instanceof ActionEvent a) {
                    g.writeStringField("type", "action");
                    g.writeStringField("source", a.source());
                    g.writeStringField("action", a.action());
                    if (details) {
                        g.writeStringField("message", a.message());
                    }
                    if (details && !a.details().isEmpty()) {
                        g.writeFieldName("details");
                        MAPPER.writeValue(g, a.details());
                    }
                }
                g.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(e.time()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }
}
