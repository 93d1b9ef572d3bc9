package io.opskit.core.endpoint;

import java.util.Optional;

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
}
