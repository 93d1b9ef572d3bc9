package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opskit.core.endpoint.Caller;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.Role;
import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;

class ActuatorAuthenticatorTest {

    private static ActuatorRequest request(String user, Set<String> roles, boolean write) {
        SecurityContext security = new SecurityContext() {
            @Override
            public Principal getPrincipal() {
                return user == null ? null : () -> user;
            }

            @Override
            public boolean isUserInRole(String role) {
                return roles.contains(role);
            }
        };
        return new ActuatorRequest(write ? "POST" : "GET", "/ops/events", "", new byte[0], security, "10.0.0.7", write);
    }

    private static Optional<Caller> caller(ActuatorAuthenticator a, String user, Set<String> roles, boolean write) {
        return a.authenticate(request(user, roles, write));
    }

    @Test
    void rolesComeFromTheSecurityContextAndTheCallerIsNamed() {
        ActuatorAuthenticator a = new ActuatorAuthenticator("OPS_VIEWER", "OPS_OPERATOR", false, true);
        assertThat(caller(a, "otto", Set.of("OPS_OPERATOR"), true)).contains(new Caller("otto", Role.OPERATOR, "10.0.0.7"));
        assertThat(caller(a, "vera", Set.of("OPS_VIEWER"), true)).contains(new Caller("vera", Role.VIEWER, "10.0.0.7"));
        assertThat(caller(a, "nina", Set.of("SALES"), false)).contains(new Caller("nina", Role.ANONYMOUS, "10.0.0.7"));
    }

    @Test
    void anyAuthenticatedUserViewsWhenConfigured() {
        ActuatorAuthenticator a = new ActuatorAuthenticator("OPS_VIEWER", "OPS_OPERATOR", true, true);
        assertThat(caller(a, "nina", Set.of("SALES"), false)).map(Caller::role).contains(Role.VIEWER);
        assertThat(caller(a, "otto", Set.of("OPS_OPERATOR"), true)).map(Caller::role).contains(Role.OPERATOR);
    }

    @Test
    void withoutAPrincipalSpringSecurityDecides() {
        ActuatorAuthenticator secured = new ActuatorAuthenticator("OPS_VIEWER", "OPS_OPERATOR", true, true);
        assertThat(caller(secured, null, Set.of(), false)).isEmpty();
        ActuatorAuthenticator open = new ActuatorAuthenticator("OPS_VIEWER", "OPS_OPERATOR", false, false);
        assertThat(caller(open, null, Set.of(), false)).contains(new Caller("anonymous", Role.VIEWER, "10.0.0.7"));
        assertThat(caller(open, null, Set.of(), true)).contains(new Caller("anonymous", Role.OPERATOR, "10.0.0.7"));
    }

    @Test
    void otherRequestsAreNotItsToJudgeAndRolesMustBeNamed() {
        ActuatorAuthenticator a = new ActuatorAuthenticator("OPS_VIEWER", "OPS_OPERATOR", true, false);
        assertThat(a.authenticate(EndpointRequest.of("GET", "127.0.0.1"))).isEmpty();
        assertThatThrownBy(() -> new ActuatorAuthenticator(" ", "OPS_OPERATOR", false, false))
                .hasMessageContaining("viewerRole must not be blank");
    }
}
