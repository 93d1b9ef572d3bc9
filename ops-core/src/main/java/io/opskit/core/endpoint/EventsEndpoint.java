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
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    static byte[] render(List<OpsEvent> history) {
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
                    g.writeStringField("output", s.output());
                } else if (e instanceof ActionEvent a) {
                    g.writeStringField("type", "action");
                    g.writeStringField("source", a.source());
                    g.writeStringField("action", a.action());
                    g.writeStringField("message", a.message());
                    if (!a.details().isEmpty()) {
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
