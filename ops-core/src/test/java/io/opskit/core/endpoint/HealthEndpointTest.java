package io.opskit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Result;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private Ops ops;

    @BeforeEach
    void startOps() throws Exception {
        ops = Ops.builder().serviceId("orders").version("1").releaseId("1.4.2").description("order service")
                .check(CheckRegistration.builder("postgres:responseTime",
                        () -> Result.pass("select 1 ok").withObservedValue(3.5, "ms").withDetail("database", "PostgreSQL 17"))
                        .componentType("datastore").interval(Duration.ofHours(1)).build())
                .check(CheckRegistration.builder("payments:responseTime", () -> Result.fail("connection refused to https://bob:pw@pay"))
                        .componentType("http").critical(false).interval(Duration.ofHours(1)).build())
                .build().start();
        ops.refreshAll().get(5, TimeUnit.SECONDS);
        ops.markReady();
    }

    @AfterEach
    void closeOps() {
        ops.close();
    }

    private static EndpointRequest get(String authorization) {
        return new EndpointRequest() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public Optional<String> header(String name) {
                return "Authorization".equalsIgnoreCase(name) ? Optional.ofNullable(authorization) : Optional.empty();
            }

            @Override
            public String remoteAddress() {
                return "127.0.0.1";
            }
        };
    }

    @Test
    void theDocumentFollowsTheIetfDraft() throws Exception {
        EndpointResponse r = HealthEndpoint.create(ops, ShowDetails.ALWAYS).handle("", get(null));
        assertThat(r.contentType()).isEqualTo("application/health+json");
        assertThat(r.headers()).containsEntry("Cache-Control", "no-store");
        assertThat(r.status()).isEqualTo(200);
        JsonNode doc = JSON.readTree(r.bodyText());
        assertThat(doc.get("status").asText()).isEqualTo("warn");
        assertThat(doc.get("serviceId").asText()).isEqualTo("orders");
        assertThat(doc.get("version").asText()).isEqualTo("1");
        assertThat(doc.get("releaseId").asText()).isEqualTo("1.4.2");
        assertThat(doc.get("description").asText()).isEqualTo("order service");
        assertThat(doc.get("uptime").isNumber()).isTrue();
        JsonNode pg = doc.get("checks").get("postgres:responseTime");
        assertThat(pg.isArray()).isTrue();
        assertThat(pg.get(0).get("componentId").asText()).isEqualTo("postgres");
        assertThat(pg.get(0).get("componentType").asText()).isEqualTo("datastore");
        assertThat(pg.get(0).get("status").asText()).isEqualTo("pass");
        assertThat(pg.get(0).get("observedValue").asDouble()).isEqualTo(3.5);
        assertThat(pg.get(0).get("observedUnit").asText()).isEqualTo("ms");
        assertThat(pg.get(0).get("output").asText()).isEqualTo("select 1 ok");
        assertThat(Instant.parse(pg.get(0).get("time").asText())).isBefore(Instant.now().plusSeconds(1));
        assertThat(pg.get(0).get("details").get("database").asText()).isEqualTo("PostgreSQL 17");
        JsonNode pay = doc.get("checks").get("payments:responseTime").get(0);
        assertThat(pay.get("status").asText()).isEqualTo("fail");
        assertThat(pay.get("output").asText()).contains("bob:****@").doesNotContain(":pw@");
    }

    @Test
    void detailsAndOutputsAreHiddenUnlessAllowedButStatusIsAlwaysVisible() throws Exception {
        ShowDetails policy = ShowDetails.bearerToken("0123456789abcdef-secret");
        HealthEndpoint endpoint = HealthEndpoint.create(ops, policy);
        JsonNode hidden = JSON.readTree(endpoint.handle("", get(null)).bodyText());
        JsonNode pg = hidden.get("checks").get("postgres:responseTime").get(0);
        assertThat(pg.get("status").asText()).isEqualTo("pass");
        assertThat(pg.has("output")).isFalse();
        assertThat(pg.has("observedValue")).isFalse();
        assertThat(pg.has("details")).isFalse();
        assertThat(hidden.has("uptime")).isFalse();
        assertThat(endpoint.handle("", get("Bearer wrong-token-000000")).bodyText()).doesNotContain("select 1 ok");
        assertThat(endpoint.handle("", get("Bearer 0123456789abcdef-secret")).bodyText()).contains("select 1 ok");
    }

    @Test
    void probesMapToHttpStatusAndUnknownChecksTo404() throws Exception {
        HealthEndpoint endpoint = HealthEndpoint.create(ops, ShowDetails.NEVER);
        assertThat(endpoint.handle("live", get(null)).status()).isEqualTo(200);
        assertThat(endpoint.handle("ready", get(null)).status()).isEqualTo(200);
        assertThat(endpoint.handle("started", get(null)).status()).isEqualTo(200);
        assertThat(endpoint.handle("postgres:responseTime", get(null)).status()).isEqualTo(200);
        EndpointResponse payments = endpoint.handle("payments:responseTime", get(null));
        assertThat(payments.status()).isEqualTo(503);
        assertThat(JSON.readTree(payments.bodyText()).get("status").asText()).isEqualTo("fail");
        EndpointResponse unknown = endpoint.handle("nope:nothing", get(null));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.bodyText()).get("output").asText()).isEqualTo("no check of that name");
        assertThat(endpoint.handle("../../etc/passwd\r\n", get(null)).status()).isEqualTo(404);
        EndpointResponse post = endpoint.handle("", EndpointRequest.of("POST", "127.0.0.1"));
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers()).containsEntry("Allow", "GET, HEAD");
    }

    @Test
    void anUnchangedSnapshotIsServedFromTheSameCachedBytes() {
        HealthEndpoint endpoint = HealthEndpoint.create(ops, ShowDetails.NEVER);
        EndpointResponse first = endpoint.handle("ready", get(null));
        EndpointResponse second = endpoint.handle("ready", get(null));
        assertThat(second).isSameAs(first);
        assertThat(endpoint.handle("ready", get(null)).length()).isEqualTo(first.length());
    }

    @Test
    void failIs503AndPassAndWarnAre200() {
        assertThat(io.opskit.core.Status.PASS.httpStatus()).isEqualTo(200);
        assertThat(io.opskit.core.Status.WARN.httpStatus()).isEqualTo(200);
        assertThat(io.opskit.core.Status.FAIL.httpStatus()).isEqualTo(503);
        assertThat(Map.of("a", 1)).isNotEmpty();
    }
}
