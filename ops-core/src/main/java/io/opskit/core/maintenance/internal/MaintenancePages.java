package io.opskit.core.maintenance.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opskit.core.Redactor;
import io.opskit.core.maintenance.MaintenanceState;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the 503 bodies for a maintenance state, once per state: while maintenance lasts,
 * answering a request is a copy of cached bytes.
 */
public final class MaintenancePages {

    /** The built-in page. */
    public static final String DEFAULT_TEMPLATE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex">
            <title>Down for maintenance</title>
            <style>
            body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
            font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f6f7f9;color:#1f2328}
            main{max-width:32rem;padding:2.5rem;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}
            h1{font-size:1.5rem;margin:0 0 1rem}p{line-height:1.5;margin:.5rem 0}.muted{color:#656d76;font-size:.9rem}
            </style>
            </head>
            <body>
            <main>
            <h1>We&#39;ll be back soon</h1>
            <p>{{reason}}</p>
            <p class="muted">{{expectedEndSentence}}</p>
            </main>
            </body>
            </html>
            """;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_REASON = "The service is down for maintenance.";

    private final String template;
    private final URI problemType;
    private volatile Rendered rendered;

    /** Pages from {@code template} (or the built-in one) and problems of {@code problemType}. */
    public MaintenancePages(Optional<String> template, URI problemType) {
        this.template = template.orElse(DEFAULT_TEMPLATE);
        this.problemType = problemType;
    }

    /** The HTML page for {@code state}, UTF-8. */
    public byte[] html(MaintenanceState state) {
        return render(state).html;
    }

    /** The {@code application/problem+json} body for {@code state}. */
    public byte[] problemJson(MaintenanceState state) {
        return render(state).json;
    }

    private Rendered render(MaintenanceState state) {
        Rendered r = rendered;
        if (r != null && r.state == state) {
            return r;
        }
        r = new Rendered(state, renderHtml(state), renderJson(state));
        rendered = r;
        return r;
    }

    private byte[] renderHtml(MaintenanceState state) {
        String reason = reason(state);
        String end = state.expectedEnd().map(Object::toString).orElse("");
        String sentence = end.isEmpty() ? "Please try again in a few minutes." : "Expected back by " + end + ".";
        String page = template.replace("{{reason}}", escape(reason))
                .replace("{{since}}", escape(state.since().toString()))
                .replace("{{expectedEndSentence}}", escape(sentence))
                .replace("{{expectedEnd}}", escape(end));
        return page.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] renderJson(MaintenanceState state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problemType.toString());
        body.put("title", "Service Unavailable");
        body.put("status", 503);
        body.put("detail", reason(state));
        body.put("maintenance", true);
        body.put("since", state.since().toString());
        state.expectedEnd().ifPresent(end -> body.put("expectedEnd", end.toString()));
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the maintenance problem body", e);
        }
    }

    private static String reason(MaintenanceState state) {
        String reason = Redactor.redact(state.reason()).strip();
        return reason.isEmpty() ? DEFAULT_REASON : reason;
    }

    /** HTML-escapes text for element content and attribute values. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private record Rendered(MaintenanceState state, byte[] html, byte[] json) {
    }
}
