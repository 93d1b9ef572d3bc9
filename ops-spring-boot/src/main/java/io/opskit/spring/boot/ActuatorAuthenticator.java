package io.opskit.spring.boot;

import io.opskit.core.endpoint.Authenticator;
import io.opskit.core.endpoint.Caller;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.Role;
import java.util.Optional;

/**
 * The role of a caller of the {@code opskit} Actuator endpoint, for the operations surface (which
 * then authorises and audits as it does for every adapter).
 *
 * <ul>
 *   <li>An authenticated principal (Spring Security, or the container's): operator in the operator
 *       role, viewer in the viewer role (or, with {@code authenticatedIsViewer}, whatever its roles);
 *       otherwise named but without a role, so the surface refuses it with 403.</li>
 *   <li>No principal while Spring Security guards the application: not recognised, so the surface
 *       refuses it with 401: Spring Security let an anonymous request through, opskit does not.</li>
 *   <li>No principal and no Spring Security: exposing the endpoint was the user's explicit opt-in,
 *       as for every Actuator endpoint; a read is a viewer's, a write an operator's, because
 *       Actuator maps write operations only when {@code management.endpoint.opskit.access=unrestricted}.</li>
 * </ul>
 */
final class ActuatorAuthenticator implements Authenticator {

    private final Authenticator roles;
    private final boolean authenticatedIsViewer;
    private final boolean secured;

    /**
     * @param secured whether Spring Security guards the application (a {@code SecurityFilterChain} bean)
     * @throws IllegalArgumentException when a role is blank
     */
    ActuatorAuthenticator(String viewerRole, String operatorRole, boolean authenticatedIsViewer, boolean secured) {
        this.roles = Authenticator.servletRoles(viewerRole, operatorRole);
        this.authenticatedIsViewer = authenticatedIsViewer;
        this.secured = secured;
    }

    @Override
    public Optional<Caller> authenticate(EndpointRequest request) {
        if (!(request instanceof ActuatorRequest actuator)) {
            return Optional.empty();
        }
        Optional<String> principal = actuator.principal();
        if (principal.isEmpty()) {
            return secured ? Optional.empty()
                    : Optional.of(new Caller(Caller.ANONYMOUS_NAME, actuator.write() ? Role.OPERATOR : Role.VIEWER,
                    actuator.remoteAddress()));
        }
        Optional<Caller> inRole = roles.authenticate(request);
        if (inRole.isPresent()) {
            return inRole;
        }
        return Optional.of(new Caller(principal.get(), authenticatedIsViewer ? Role.VIEWER : Role.ANONYMOUS,
                actuator.remoteAddress()));
    }
}
