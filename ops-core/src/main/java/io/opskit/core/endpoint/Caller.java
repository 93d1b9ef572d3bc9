package io.opskit.core.endpoint;

import java.util.Objects;

/**
 * Who made a request to the operations surface, as authentication established it: the name of
 * its token or principal ({@code anonymous} without credentials), its role, and the client
 * address. It is what audit events and log lines name.
 *
 * @param name    the token's name or the principal; {@code anonymous} without credentials
 * @param role    the role granted
 * @param address the client address as the adapter resolved it
 */
public record Caller(String name, Role role, String address) {

    /** The name of a caller without credentials. */
    public static final String ANONYMOUS_NAME = "anonymous";

    /** Validates. */
    public Caller {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        address = address == null ? "" : address;
    }

    /** A caller without credentials from {@code address}. */
    public static Caller anonymous(String address) {
        return new Caller(ANONYMOUS_NAME, Role.ANONYMOUS, address);
    }
}
