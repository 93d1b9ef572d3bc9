package io.opskit.core.endpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Who may see details and outputs of health checks (the status is always visible):
 * {@link #NEVER}, {@link #ALWAYS}, or a request predicate for "authorized".
 */
@FunctionalInterface
public interface ShowDetails {

    /** Details are never shown. */
    ShowDetails NEVER = request -> false;

    /** Details are always shown. */
    ShowDetails ALWAYS = request -> true;

    /** Whether {@code request} may see details. */
    boolean allows(EndpointRequest request);

    /** Details for requests the predicate accepts. */
    static ShowDetails when(Predicate<EndpointRequest> predicate) {
        Objects.requireNonNull(predicate, "predicate");
        return predicate::test;
    }

    /** Details for requests whose user has {@code role}. */
    static ShowDetails role(String role) {
        if (role == null || role.isBlank()) {
            throw new IllegalArgumentException("role must not be blank, but was '" + role + "': name the role, e.g. 'ops'");
        }
        return request -> request.isUserInRole(role);
    }

    /**
     * Details for requests carrying {@code Authorization: Bearer <token>}, compared in constant
     * time.
     */
    static ShowDetails bearerToken(String token) {
        if (token == null || token.length() < 16) {
            throw new IllegalArgumentException("bearer token must be at least 16 characters, but was "
                    + (token == null ? "null" : token.length() + " characters") + ": use a long random secret");
        }
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        return request -> request.header("Authorization")
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> MessageDigest.isEqual(expected, h.substring(7).trim().getBytes(StandardCharsets.UTF_8)))
                .orElse(false);
    }

    /** Parses {@code never}, {@code always} (case-insensitive) for configuration. */
    static ShowDetails parse(String value) {
        if ("never".equalsIgnoreCase(value)) {
            return NEVER;
        }
        if ("always".equalsIgnoreCase(value)) {
            return ALWAYS;
        }
        throw new IllegalArgumentException("showDetails must be 'never' or 'always', but was '" + value
                + "': use ShowDetails.when(...) in code for an authorization rule");
    }
}
