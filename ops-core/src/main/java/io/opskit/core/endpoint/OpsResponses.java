package io.opskit.core.endpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answers every endpoint of the surface gives alike: JSON bodies, plain text and errors, all
 * with {@code Cache-Control: no-store}, so every adapter and module answers with the same bytes.
 */
public final class OpsResponses {

    /** The media type of JSON answers. */
    public static final String JSON = "application/json";
    /** The media type of plain-text answers. */
    public static final String TEXT = "text/plain;charset=utf-8";
    /** The headers of every answer. */
    public static final Map<String, String> NO_STORE = Map.of("Cache-Control", "no-store");
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private OpsResponses() {
    }

    /** {@code value} (maps, lists, strings, numbers, booleans) as JSON. */
    public static EndpointResponse json(int status, Object value) {
        return new EndpointResponse(status, JSON, NO_STORE, bytes(value));
    }

    /** {@code text} as UTF-8 plain text. */
    public static EndpointResponse text(int status, String text) {
        return new EndpointResponse(status, TEXT, NO_STORE, text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"error":message}}. */
    public static EndpointResponse error(int status, String message) {
        return json(status, Map.of("error", message));
    }

    /** {@code {"error":message}} with extra headers (e.g. {@code Allow}, {@code WWW-Authenticate}). */
    public static EndpointResponse error(int status, String message, Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>(NO_STORE);
        h.putAll(headers);
        return new EndpointResponse(status, JSON, h, bytes(Map.of("error", message)));
    }

    /** {@code value} as JSON bytes. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shared mapper (for reading bodies). */
    static ObjectMapper mapper() {
        return MAPPER;
    }
}
