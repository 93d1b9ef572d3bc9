package io.opskit.core.endpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An answer of a shared endpoint, ready for an adapter to copy out: status code, content type,
 * extra headers and body. The body is either bytes (often a cached array shared between
 * requests, so only reachable through {@link #writeTo(OutputStream)} and copies) or a
 * {@link StreamedBody} written straight to the client, such as a heap dump or a flight
 * recording. Adapters always call {@link #release()} when done, also on HEAD and on errors.
 */
public final class EndpointResponse {

    private final int status;
    private final String contentType;
    private final Map<String, String> headers;
    private final byte[] body;
    private final StreamedBody stream;
    private final long streamLength;
    private final AtomicBoolean released = new AtomicBoolean();

    EndpointResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
        this(status, contentType, headers, body, null, body.length);
    }

    private EndpointResponse(int status, String contentType, Map<String, String> headers, byte[] body,
                             StreamedBody stream, long length) {
        this.status = status;
        this.contentType = contentType;
        this.headers = Map.copyOf(headers);
        this.body = body;
        this.stream = stream;
        this.streamLength = length;
    }

    /** A response with a body the caller gives up ownership of. */
    public static EndpointResponse of(int status, String contentType, Map<String, String> headers, byte[] body) {
        return new EndpointResponse(status, contentType, headers, body.clone());
    }

    /**
     * A response whose body is written by {@code body} when the adapter copies it out, and
     * released (a file deleted, a lock freed) by {@link #release()}.
     *
     * @param length the body length in bytes, or -1 when unknown (the adapter then streams it chunked)
     */
    public static EndpointResponse streamed(int status, String contentType, Map<String, String> headers, long length,
                                            StreamedBody body) {
        if (length < -1) {
            throw new IllegalArgumentException("length must be -1 (unknown) or at least 0, but was " + length);
        }
        return new EndpointResponse(status, contentType, headers, new byte[0],
                java.util.Objects.requireNonNull(body, "body"), length);
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

    /** The body length in bytes (for {@code Content-Length}, also on HEAD); -1 when streamed with unknown or huge length. */
    public int length() {
        return streamLength > Integer.MAX_VALUE ? -1 : (int) streamLength;
    }

    /** The body length in bytes, or -1 when unknown; use this for streamed bodies, which may exceed 2 GiB. */
    public long contentLength() {
        return streamLength;
    }

    /** Whether the body is streamed rather than held in memory. */
    public boolean isStreamed() {
        return stream != null;
    }

    /** Writes the body; adapters skip this for HEAD. */
    public void writeTo(OutputStream out) throws IOException {
        if (stream != null) {
            stream.writeTo(out);
        } else {
            out.write(body);
        }
    }

    /** Frees what a streamed body holds (deletes its file); idempotent, nothing to do for bytes. */
    public void release() {
        if (stream != null && released.compareAndSet(false, true)) {
            stream.close();
        }
    }

    /** A copy of the body. */
    public byte[] bodyCopy() {
        requireBytes();
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        requireBytes();
        return new String(body, StandardCharsets.UTF_8);
    }

    private void requireBytes() {
        if (stream != null) {
            throw new IllegalStateException("the body of this response is streamed: copy it out with writeTo(OutputStream)");
        }
    }

    /** A body written straight to the client. */
    public interface StreamedBody extends AutoCloseable {

        /** Writes the whole body. */
        void writeTo(OutputStream out) throws IOException;

        /** Frees what the body holds; called once, after writing or instead of it. */
        @Override
        void close();
    }
}
