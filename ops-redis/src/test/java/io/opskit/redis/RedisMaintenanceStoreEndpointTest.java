package io.opskit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opskit.core.Attachment;
import io.opskit.core.Ops;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.OpsAccess;
import io.opskit.core.endpoint.OpsSurface;
import io.opskit.core.endpoint.OpsSurfaceConfig;
import io.opskit.core.endpoint.Role;
import io.opskit.core.maintenance.MaintenanceState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisMaintenanceStoreEndpointTest {

    private static final String VIEWER = "viewer-token-0123456789";

    @Test
    void wiringTheStoreContributesItsStateToTheSurface() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start(); Ops ops = Ops.builder().build();
             RedisMaintenanceStore store = RedisMaintenanceStore.builder(redis.uri()).key("endpoint-test")
                     .channel("endpoint-test").build()) {
            Attachment attachment = ops.attach(store);
            store.write(MaintenanceState.on("fleet upgrade", java.util.Optional.empty(), "test"));
            OpsSurface surface = OpsSurface.builder(ops, OpsSurfaceConfig.builder()
                    .access(OpsAccess.builder().token("dashboard", VIEWER, Role.VIEWER).build()).build()).build();
            EndpointResponse anonymous = surface.handle(EndpointRequest.of("GET", "/ops/maintenance-store", Map.of(), new byte[0]));
            assertThat(anonymous.status()).isEqualTo(401);
            EndpointResponse r = surface.handle(EndpointRequest.of("GET", "/ops/maintenance-store",
                    Map.of("Authorization", "Bearer " + VIEWER), new byte[0]));
            assertThat(r.status()).isEqualTo(200);
            JsonNode body = new ObjectMapper().readTree(r.bodyText());
            assertThat(body.get("key").asText()).isEqualTo("endpoint-test");
            assertThat(body.get("lastKnown").get("enabled").asBoolean()).isTrue();
            assertThat(body.get("lastKnown").get("reason").asText()).isEqualTo("fleet upgrade");
            assertThat(body.has("lastContact")).isTrue();
            assertThat(attachment.checks()).containsExactly(RedisMaintenanceStore.CHECK_NAME);
            assertThat(attachment.endpoints()).containsExactly("/ops/maintenance-store");

            attachment.close();
            assertThat(ops.registrations()).isEmpty();
            assertThat(surface.handle(EndpointRequest.of("GET", "/ops/maintenance-store",
                    Map.of("Authorization", "Bearer " + VIEWER), new byte[0])).status()).isEqualTo(404);
        }
    }
}
