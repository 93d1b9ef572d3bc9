package io.opskit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.opskit.core.maintenance.MaintenanceMode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaintenanceEndpointTest {

    private static EndpointRequest post(String secret) {
        return new EndpointRequest() {
            @Override
            public String method() {
                return "POST";
            }

            @Override
            public Optional<String> header(String name) {
                return MaintenanceEndpoint.SECRET_HEADER.equalsIgnoreCase(name) ? Optional.ofNullable(secret) : Optional.empty();
            }

            @Override
            public String remoteAddress() {
                return "127.0.0.1";
            }
        };
    }

    private static byte[] body(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theRightSecretSwitchesMaintenanceOnAndOff() {
        try (MaintenanceMode mode = MaintenanceMode.builder().ignoreEnvironment().build()) {
            MaintenanceEndpoint endpoint = MaintenanceEndpoint.create(mode, Optional.of("operator-secret-1"));
            EndpointResponse on = endpoint.handle(post("operator-secret-1"),
                    body("{\"enabled\":true,\"reason\":\"db upgrade\",\"retryAfterSeconds\":600}"));
            assertThat(on.status()).isEqualTo(200);
            assertThat(mode.isEnabled()).isTrue();
            assertThat(mode.state().reason()).isEqualTo("db upgrade");
            assertThat(mode.retryAfterSeconds()).hasValueSatisfying(s -> assertThat(s).isBetween(590L, 600L));
            assertThat(on.bodyText()).contains("\"enabled\":true").doesNotContain("operator-secret-1");
            assertThat(endpoint.handle(EndpointRequest.of("GET", "127.0.0.1"), new byte[0]).bodyText()).contains("db upgrade");

            assertThat(endpoint.handle(post("operator-secret-1"), body("{\"enabled\":false}")).status()).isEqualTo(200);
            assertThat(mode.isEnabled()).isFalse();
        }
    }

    @Test
    void aWrongOrMissingSecretIs403AndNoSecretConfiguredIs404() {
        try (MaintenanceMode mode = MaintenanceMode.builder().ignoreEnvironment().build()) {
            MaintenanceEndpoint endpoint = MaintenanceEndpoint.create(mode, Optional.of("operator-secret-1"));
            assertThat(endpoint.handle(post("wrong-secret-000"), body("{\"enabled\":true}")).status()).isEqualTo(403);
            assertThat(endpoint.handle(post(null), body("{\"enabled\":true}")).status()).isEqualTo(403);
            assertThat(mode.isEnabled()).isFalse();
            MaintenanceEndpoint closed = MaintenanceEndpoint.create(mode, Optional.empty());
            assertThat(closed.handle(post("anything-at-all"), body("{\"enabled\":true}")).status()).isEqualTo(404);
            assertThat(mode.isEnabled()).isFalse();
        }
    }

    @Test
    void badBodiesAreRejectedWithTheFix() {
        try (MaintenanceMode mode = MaintenanceMode.builder().ignoreEnvironment().build()) {
            MaintenanceEndpoint endpoint = MaintenanceEndpoint.create(mode, Optional.of("operator-secret-1"));
            assertThat(endpoint.handle(post("operator-secret-1"), body("not json")).bodyText()).contains("enabled");
            assertThat(endpoint.handle(post("operator-secret-1"), body("{\"enabled\":\"yes\"}")).status()).isEqualTo(400);
            assertThat(endpoint.handle(post("operator-secret-1"), body("{\"enabled\":true,\"retryAfterSeconds\":-5}")).status()).isEqualTo(400);
            assertThat(mode.isEnabled()).isFalse();
        }
    }
}
