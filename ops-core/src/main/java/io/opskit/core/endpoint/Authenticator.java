package io.opskit.core.endpoint;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The hook for applications with their own authentication: maps a request to a {@link Caller}
 * with a role, or to nothing when the request carries no credentials this authenticator knows
 * (then opskit's bearer tokens are tried, and finally the caller is anonymous). A user it knows
 * but grants nothing may be answered as a named {@link Caller} with {@link Role#ANONYMOUS}: the
 * surface then refuses it with 403 (and audits the name) instead of asking for credentials with 401.
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

    /**
     * {@code role} for the requests {@code predicate} accepts, named {@code name} in the audit log
     * (e.g. requests a mutual-TLS proxy marked as verified).
     */
    static Authenticator when(Predicate<EndpointRequest> predicate, Role role, String name) {
        Objects.requireNonNull(predicate, "predicate must not be null");
        if (role == null || role == Role.ANONYMOUS) {
            throw new IllegalArgumentException("role must be VIEWER or OPERATOR, but was " + role
                    + ": a predicate that grants nothing needs no authenticator");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, but was '" + name
                    + "': it names the caller in the audit log, e.g. 'mtls-proxy'");
        }
        return request -> predicate.test(request) ? Optional.of(new Caller(name, role, request.remoteAddress())) : Optional.empty();
    }

    private static void requireRole(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " must not be blank, but was '" + value
                    + "': name the container role, e.g. 'ops-admin'");
        }
        Objects.requireNonNull(value);
    }
}
