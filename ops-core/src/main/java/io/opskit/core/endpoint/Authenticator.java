package io.opskit.core.endpoint;

import java.util.Objects;
import java.util.Optional;

/**
 * The hook for applications with their own authentication: maps a request to a {@link Caller}
 * with a role, or to nothing when the request carries no credentials this authenticator knows
 * (then opskit's bearer tokens are tried, and finally the caller is anonymous).
 *
 * <pre>{@code
 * // servlet container security: users in role "ops-admin" operate, "ops-read" view
 * OpsAccess.builder().authenticator(Authenticator.servletRoles("ops-read", "ops-admin"))
 * // anything else, e.g. a client certificate already checked by a proxy
 * OpsAccess.builder().authenticator(r -> r.header("X-Client-Verified").map(cn -> new Caller(cn, Role.VIEWER, r.remoteAddress())))
 * }</pre>
 */
@FunctionalInterface
public interface Authenticator {

    /** The caller of {@code request}, or empty when this authenticator does not recognise it. */
    Optional<Caller> authenticate(EndpointRequest request);

    /**
     * Roles from the container's authentication ({@link EndpointRequest#isUserInRole}): a user in
     * {@code operatorRole} is an operator, one in {@code viewerRole} a viewer. The caller's name
     * is the principal.
     */
    static Authenticator servletRoles(String viewerRole, String operatorRole) {
        requireRole("viewerRole", viewerRole);
        requireRole("operatorRole", operatorRole);
        return request -> {
            Role role = request.isUserInRole(operatorRole) ? Role.OPERATOR
                    : request.isUserInRole(viewerRole) ? Role.VIEWER : null;
            return Optional.ofNullable(role).map(r -> new Caller(request.principal().orElse("user in role " + (r == Role.OPERATOR
                    ? operatorRole : viewerRole)), r, request.remoteAddress()));
        };
    }

    private static void requireRole(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, but was '" + value
                    + "': name the container role, e.g. 'ops-admin'");
        }
        Objects.requireNonNull(value);
    }
}
