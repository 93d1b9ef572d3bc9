package io.opskit.core.maintenance;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of {@link MaintenanceGate#decide(MaintenanceRequest)}: let the request through,
 * redirect it (after a bypass link set the cookie), or answer it with a 503 maintenance
 * response. Immutable; the adapter copies status, headers and body into its response.
 */
public final class MaintenanceDecision {

    /** What to do with the request. */
    public enum Action {
        /** Let the request through to the application. */
        PASS,
        /** Answer with {@link #status()}, {@link #headers()} and no body (303 after a valid bypass link). */
        REDIRECT,
        /** Answer with the 503 maintenance response. */
        BLOCK
    }

    static final MaintenanceDecision PASS = new MaintenanceDecision(Action.PASS, 0, Map.of(), Optional.empty(), new byte[0]);

    private final Action action;
    private final int status;
    private final Map<String, String> headers;
    private final Optional<String> contentType;
    private final byte[] body;

    MaintenanceDecision(Action action, int status, Map<String, String> headers, Optional<String> contentType,
                        byte[] body) {
        this.action = action;
        this.status = status;
        this.headers = headers;
        this.contentType = contentType;
        this.body = body;
    }

    /** What to do. */
    public Action action() {
        return action;
    }

    /** Whether the request goes through to the application. */
    public boolean isPass() {
        return action == Action.PASS;
    }

    /** The HTTP status to answer with (503 or 303); 0 for {@link Action#PASS}. */
    public int status() {
        return status;
    }

    /** Response headers to set ({@code Retry-After}, {@code Cache-Control}, {@code Location}, {@code Set-Cookie}). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body's content type, when there is a body. */
    public Optional<String> contentType() {
        return contentType;
    }

    /** The body's length in bytes. */
    public int contentLength() {
        return body.length;
    }

    /** Writes the body. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(body);
    }

    @Override
    public String toString() {
        return "MaintenanceDecision[" + action + (status == 0 ? "" : " " + status) + "]";
    }
}
