package io.opskit.core.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opskit.core.ActionEvent;
import io.opskit.core.OpsEvent;
import io.opskit.core.Redactor;
import io.opskit.core.StatusChangeEvent;
import java.util.UUID;

/** Renders an {@link OpsEvent} as a CloudEvents 1.0 structured-mode JSON document. */
final class CloudEvents {

    static final String STATUS_CHANGED = "io.opskit.check.status.changed";
    static final String ACTION = "io.opskit.action";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudEvents() {
    }

    static byte[] render(OpsEvent event, String source, String service, String instance) {
        ObjectNode e = JSON.createObjectNode();
        e.put("specversion", "1.0");
        e.put("id", UUID.randomUUID().toString());
        e.put("source", source);
        e.put("type", event instanceof StatusChangeEvent ? STATUS_CHANGED : ACTION);
        e.put("subject", event.source());
        e.put("time", event.time().toString());
        e.put("datacontenttype", "application/json");
        ObjectNode data = e.putObject("data");
        data.put("service", service);
        data.put("instance", instance);
        if (event instanceof StatusChangeEvent s) {
            data.put("check", s.check());
            data.put("from", s.from().map(st -> st.wireName()).orElse("pending"));
            data.put("to", s.to().wireName());
            data.put("severity", s.severity().name());
            data.put("routing", s.severity().routing());
            data.put("output", Redactor.redact(s.output()));
        } else if (event instanceof ActionEvent a) {
            data.put("action", a.action());
            data.put("message", Redactor.redact(a.message()));
            ObjectNode details = data.putObject("details");
            Redactor.redact(a.details()).forEach(details::put);
        }
        data.put("description", Redactor.redact(event.describe()));
        try {
            return JSON.writeValueAsBytes(e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException("rendering a CloudEvent cannot fail for a tree of strings", ex);
        }
    }
}
