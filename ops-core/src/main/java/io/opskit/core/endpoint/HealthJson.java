package io.opskit.core.endpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opskit.core.CheckState;
import io.opskit.core.Result;
import io.opskit.core.ServiceInfo;
import io.opskit.core.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Renders health as {@code application/health+json} (IETF draft-inadarei-api-health-check):
 * top-level {@code status}, service fields, and {@code checks} keyed by
 * {@code component:measurement}, each an array of one object. Without details only
 * {@code componentId}, {@code componentType}, {@code status} and {@code time} of each check are
 * written; outputs, observed values and details need permission.
 */
final class HealthJson {

    /** ObjectMapper for detail values (lists, maps, numbers); thread-safe once configured. */
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private HealthJson() {
    }

    static byte[] render(ServiceInfo info, Status status, List<CheckState> checks, boolean details, long uptimeSeconds) {
        return render(info, status, checks, true, details, uptimeSeconds);
    }

    /** As {@link #render(ServiceInfo, Status, List, boolean, long)}; without {@code components} no check is named. */
    static byte[] render(ServiceInfo info, Status status, List<CheckState> checks, boolean components, boolean details,
                         long uptimeSeconds) {
        ByteArrayBuilder out = new ByteArrayBuilder(256 + checks.size() * (details ? 256 : 128));
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", status.wireName());
            field(g, "version", info.version());
            field(g, "releaseId", info.releaseId());
            field(g, "serviceId", info.serviceId());
            field(g, "description", info.description());
            if (details && uptimeSeconds >= 0) {
                g.writeNumberField("uptime", uptimeSeconds);
            }
            if (components) {
                g.writeObjectFieldStart("checks");
                for (CheckState c : checks) {
                    g.writeArrayFieldStart(c.name());
                    writeCheck(g, c, details);
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] message(Status status, String output) {
        ByteArrayBuilder out = new ByteArrayBuilder(128);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("status", status.wireName());
            g.writeStringField("output", output);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeCheck(JsonGenerator g, CheckState c, boolean details) throws IOException {
        Result r = c.result();
        g.writeStartObject();
        g.writeStringField("componentId", c.componentId());
        g.writeStringField("componentType", c.componentType());
        g.writeStringField("status", c.status().wireName());
        if (details) {
            if (r.observedValue().isPresent()) {
                g.writeFieldName("observedValue");
                MAPPER.writeValue(g, r.observedValue().get());
            }
            if (r.observedUnit().isPresent()) {
                g.writeStringField("observedUnit", r.observedUnit().get());
            }
        }
        g.writeStringField("time", DateTimeFormatter.ISO_INSTANT.format(r.time()));
        if (details) {
            if (r.output().isPresent()) {
                g.writeStringField("output", r.output().get());
            }
            g.writeNumberField("durationMs", r.duration().toNanos() / 1_000_000.0);
            if (!c.critical()) {
                g.writeBooleanField("critical", false);
            }
            if (c.stale()) {
                g.writeBooleanField("stale", true);
            }
            Map<String, Object> d = r.details();
            if (!d.isEmpty()) {
                g.writeFieldName("details");
                MAPPER.writeValue(g, d);
            }
        }
        g.writeEndObject();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (!value.isEmpty()) {
            g.writeStringField(name, value);
        }
    }
}
