package io.opskit.core.maintenance;

import java.util.List;
import java.util.Optional;

/**
 * What the maintenance decision needs to know about a request; each adapter (servlet filter,
 * HTTP server) implements it as a thin view of its own request type.
 */
public interface MaintenanceRequest {

    /** The path within the application (no context path, no query), e.g. {@code /api/items}. */
    String path();

    /** The path as the client sent it, for a redirect {@code Location}; by default {@link #path()}. */
    default String requestUri() {
        return path();
    }

    /** The HTTP method. */
    String method();

    /** The first value of a request header. */
    Optional<String> header(String name);

    /** Every value of a request header (several lines of {@code X-Forwarded-For}); by default {@link #header}. */
    default List<String> headerValues(String name) {
        return header(name).map(List::of).orElse(List.of());
    }

    /** The value of a cookie. */
    Optional<String> cookie(String name);

    /** The raw query string, without {@code ?}. */
    Optional<String> queryString();

    /** The address of the direct peer (the TCP connection), as an IP literal. */
    String remoteAddress();

    /** Whether the request came over TLS (the bypass cookie is then {@code Secure}). */
    boolean isSecure();
}
