package io.opskit.core.endpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An answer of a shared endpoint, ready for an adapter to copy out: status code, content type,
 * extra headers and body bytes. The body is often a cached array shared between requests, so
 * it is only reachable through {@link #writeTo(OutputStream)} and copies.
 */
public final class EndpointResponse {

    private final int status;
    private final String contentType;
    private final Map<String, String> headers;
    private final byte[] body;

    EndpointResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
        this.status = status;
        this.contentType = contentType;
        this.headers = Map.copyOf(headers);
        this.body = body;
    }

    /** A response with a body the caller gives up ownership of. */
    public static EndpointResponse of(int status, String contentType, Map<String, String> headers, byte[] body) {
        return new EndpointResponse(status, contentType, headers, body.clone());
    }

    /** The HTTP status code. */
    public int status() {
        return status;
    }

    /** The {@code Content-Type} value. */
    public String contentType() {
        return contentType;
    }

    /** Headers to set besides {@code Content-Type} and {@code Content-Length} (e.g. {@code Cache-Control}). */
    public Map<String, String> headers() {
        return headers;
    }

    /** The body length in bytes (for {@code Content-Length}, also on HEAD). */
    public int length() {
        return body.length;
    }

    /** Writes the body; adapters skip this for HEAD. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(body);
    }

    /** A copy of the body. */
    public byte[] bodyCopy() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
