package io.opskit.core.endpoint;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What an adapter (servlet, HTTP server) tells the shared endpoints about one request. Each
 * adapter implements it as a thin view over its own request type.
 */
public interface EndpointRequest {

    /** The HTTP method, upper case. */
    String method();

    /** The first value of a header, if present. */
    Optional<String> header(String name);

    /** The address of the client as the adapter resolved it (direct peer, or forwarded from a trusted proxy). */
    String remoteAddress();

    /** Whether the authenticated user has {@code role}; adapters without authentication answer false. */
    default boolean isUserInRole(String role) {
        return false;
    }

    /**
     * The name of the user the adapter's own authentication established (a servlet's
     * {@code getUserPrincipal()}), if any.
     */
    default Optional<String> principal() {
        return Optional.empty();
    }

    /**
     * The path below the adapter's mount point, starting with {@code /}: {@code /health/ready},
     * {@code /ops/events}. Adapters serving only one endpoint may leave it empty.
     */
    default String path() {
        return "";
    }

    /** The raw (still percent-encoded) query string without {@code ?}; empty when there is none. */
    default String query() {
        return "";
    }

    /**
     * The request body; read by {@link OpsSurface} only for methods that take one, and never past
     * its limit. Empty unless the adapter provides it.
     */
    default InputStream body() {
        return InputStream.nullInputStream();
    }

    /** A request of {@code method} from {@code remoteAddress} with no headers; for tests and internal use. */
    static EndpointRequest of(String method, String remoteAddress) {
        return new EndpointRequest() {
            @Override
            public String method() {
                return method;
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.empty();
            }

            @Override
            public String remoteAddress() {
                return remoteAddress;
            }
        };
    }

    /**
     * A complete in-process request from {@code 127.0.0.1}, for tests and for calling the surface
     * without a server.
     *
     * @param pathAndQuery e.g. {@code /ops/events?limit=5}
     * @param headers      header names are matched case-insensitively
     */
    static EndpointRequest of(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        byte[] b = body.clone();
        String m = method.toUpperCase(Locale.ROOT);
        return new EndpointRequest() {
            @Override
            public String method() {
                return m;
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(h.get(name));
            }

            @Override
            public String remoteAddress() {
                return "127.0.0.1";
            }

            @Override
            public String path() {
                return path;
            }

            @Override
            public String query() {
                return query;
            }

            @Override
            public InputStream body() {
                return new ByteArrayInputStream(b);
            }
        };
    }
}
