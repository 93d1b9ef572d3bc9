package io.opskit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpsAccessTest {

    private static final String TOKEN = "0123456789abcdef";

    @Test
    void tokensShorterThanSixteenCharactersAreRejectedNamingTheFix() {
        assertThatThrownBy(() -> OpsAccess.builder().token("ci", "short-secret", Role.VIEWER))
                .hasMessageContaining("token 'ci' must be at least 16 characters, but was 12 characters")
                .hasMessageContaining("openssl rand");
        assertThatThrownBy(() -> OpsAccess.builder().token("ci", null, Role.VIEWER)).hasMessageContaining("but was null");
        assertThatThrownBy(() -> OpsAccess.builder().token("ci", TOKEN, Role.ANONYMOUS)).hasMessageContaining("VIEWER or OPERATOR");
        assertThatThrownBy(() -> OpsAccess.builder().token("bad name", TOKEN, Role.VIEWER)).hasMessageContaining("'bad name'");
        assertThatThrownBy(() -> OpsAccess.builder().token("a", TOKEN, Role.VIEWER).token("b", TOKEN, Role.OPERATOR))
                .hasMessageContaining("same secret");
        assertThatThrownBy(() -> OpsAccess.builder().showComponents(Visibility.NEVER).showDetails(Visibility.ALWAYS).build())
                .hasMessageContaining("showDetails must not be wider than showComponents");
    }

    @Test
    void aBearerTokenNamesItsCallerAndAWrongOneIsReportedAsWrong() {
        OpsAccess access = OpsAccess.builder().token("oncall", TOKEN, Role.OPERATOR).build();
        OpsAccess.Authentication ok = access.authenticate(EndpointRequest.of("GET", "/ops/info",
                Map.of("Authorization", "bearer " + TOKEN), new byte[0]));
        assertThat(ok.caller()).isEqualTo(new Caller("oncall", Role.OPERATOR, "127.0.0.1"));
        OpsAccess.Authentication wrong = access.authenticate(EndpointRequest.of("GET", "/ops/info",
                Map.of("Authorization", "Bearer " + TOKEN + "x"), new byte[0]));
        assertThat(wrong.caller().role()).isEqualTo(Role.ANONYMOUS);
        assertThat(wrong.wrongToken()).isTrue();
        assertThat(access.authenticate(EndpointRequest.of("GET", "/", Map.of(), new byte[0])).wrongToken()).isFalse();
        assertThat(access.tokenNames()).containsExactly("oncall");
    }

    @Test
    void theApplicationsOwnAuthenticationComesFirst() {
        EndpointRequest inRole = new EndpointRequest() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.empty();
            }

            @Override
            public String remoteAddress() {
                return "10.0.0.7";
            }

            @Override
            public boolean isUserInRole(String role) {
                return "ops-read".equals(role);
            }

            @Override
            public Optional<String> principal() {
                return Optional.of("alice");
            }
        };
        OpsAccess access = OpsAccess.builder().authenticator(Authenticator.servletRoles("ops-read", "ops-admin")).build();
        assertThat(access.authenticate(inRole).caller()).isEqualTo(new Caller("alice", Role.VIEWER, "10.0.0.7"));
        assertThatThrownBy(() -> Authenticator.servletRoles(" ", "x")).hasMessageContaining("viewerRole must not be blank");
        OpsAccess proxied = OpsAccess.builder().authenticator(Authenticator.when(r -> r.header("X-Verified").isPresent(),
                Role.OPERATOR, "mtls-proxy")).build();
        assertThat(proxied.authenticate(EndpointRequest.of("GET", "/", Map.of("X-Verified", "cn=ops"), new byte[0])).caller())
                .isEqualTo(new Caller("mtls-proxy", Role.OPERATOR, "127.0.0.1"));
        assertThatThrownBy(() -> Authenticator.when(r -> true, Role.ANONYMOUS, "x")).hasMessageContaining("but was ANONYMOUS");
    }

    @Test
    void visibilityParsesSpringBootStyleWords() {
        assertThat(Visibility.parse("when-authorized")).isEqualTo(Visibility.WHEN_AUTHORIZED);
        assertThat(Visibility.parse("ALWAYS")).isEqualTo(Visibility.ALWAYS);
        assertThat(Visibility.WHEN_AUTHORIZED.allows(Role.ANONYMOUS)).isFalse();
        assertThat(Visibility.WHEN_AUTHORIZED.allows(Role.VIEWER)).isTrue();
        assertThatThrownBy(() -> Visibility.parse("sometimes")).hasMessageContaining("'sometimes'");
    }
}
