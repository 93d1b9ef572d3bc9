package io.opskit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opskit.core.ActionEvent;
import io.opskit.core.Ops;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsSurfaceTest {

    private Ops ops;

    @BeforeEach
    void build() {
        ops = Ops.builder().build();
    }

    @AfterEach
    void close() {
        ops.close();
    }

    @Test
    void refusalsAreAuditedUpToTheRateAndTheRestAreCountedInTheNextOne() {
        OpsSurface surface = OpsSurface.builder(ops, OpsSurfaceConfig.builder()
                .access(OpsAccess.builder().refusalsPerMinute(3).build()).build()).build();
        for (int i = 0; i < 50; i++) {
            assertThat(surface.handle(EndpointRequest.of("GET", "/ops/info", Map.of(), new byte[0])).status()).isEqualTo(401);
        }
        List<ActionEvent> refused = refusals();
        assertThat(refused).hasSize(3);
        assertThat(refused.get(0).details()).containsEntry("caller", "anonymous").containsEntry("path", "/ops/info")
                .containsEntry("result", "no credentials");
    }

    @Test
    void aUserTheAuthenticatorKnowsWithoutARoleIsForbiddenNotAskedToLogIn() {
        OpsSurface surface = OpsSurface.builder(ops, OpsSurfaceConfig.builder().access(OpsAccess.builder()
                .authenticator(r -> Optional.of(new Caller("mallory", Role.ANONYMOUS, r.remoteAddress()))).build()).build()).build();
        EndpointResponse r = surface.handle(EndpointRequest.of("GET", "/ops/info", Map.of(), new byte[0]));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.headers()).doesNotContainKey("WWW-Authenticate");
        assertThat(refusals()).singleElement().satisfies(e -> assertThat(e.details()).containsEntry("caller", "mallory")
                .containsEntry("status", "403"));
    }

    @Test
    void modulesContributeEndpointsOncePerPathServedAtOnce() throws Exception {
        OpsSurface surface = OpsSurface.builder(ops, OpsSurfaceConfig.builder().build()).build();
        assertThat(surface.handle(EndpointRequest.of("GET", "/ops/extra", Map.of(), new byte[0])).status()).isEqualTo(404);
        OpsEndpoint extra = OpsEndpoint.of("/ops/extra", Map.of("GET", Role.ANONYMOUS), r -> OpsResponses.text(200, "hi"));
        AutoCloseable handle = ops.endpoints().add(extra);
        assertThat(surface.handle(EndpointRequest.of("GET", "/ops/extra", Map.of(), new byte[0])).bodyText()).isEqualTo("hi");
        assertThatThrownBy(() -> ops.endpoints().add(extra)).hasMessageContaining("/ops/extra is already registered");
        assertThatThrownBy(() -> OpsEndpoint.of("/Ops/X", Map.of("GET", Role.VIEWER), r -> null)).hasMessageContaining("'/Ops/X'");
        assertThatThrownBy(() -> OpsEndpoint.of("/ops/x", Map.of("TRACE", Role.VIEWER), r -> null))
                .hasMessageContaining("TRACE is never served");
        handle.close();
        assertThat(surface.handle(EndpointRequest.of("GET", "/ops/extra", Map.of(), new byte[0])).status()).isEqualTo(404);
    }

    @Test
    void anEndpointThatThrowsIsA500AndHiddenEndpointsAre404() throws Exception {
        ops.endpoints().add(OpsEndpoint.of("/ops/boom", Map.of("GET", Role.ANONYMOUS), r -> {
            throw new IllegalStateException("boom");
        }));
        OpsSurface surface = OpsSurface.builder(ops, OpsSurfaceConfig.builder().expose("/ops/threaddump", false)
                .expose("/livez", false).build()).build();
        EndpointResponse r = surface.handle(EndpointRequest.of("GET", "/ops/boom", Map.of(), new byte[0]));
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyText()).doesNotContain("boom");
        assertThat(surface.handle(EndpointRequest.of("GET", "/livez", Map.of(), new byte[0])).status()).isEqualTo(404);
        assertThat(surface.paths()).doesNotContain("/livez", "/ops/threaddump", "/ops/heapdump").contains("/readyz", "/ops/jfr");
    }

    @Test
    void withoutLogbackOrLog4j2LoggersAnswer501() throws Exception {
        LoggersEndpoint loggers = new LoggersEndpoint(ops, OpsSurfaceConfig.DEFAULT, Optional.empty());
        EndpointResponse r = loggers.handle(OpsRequest.of(EndpointRequest.of("GET", "/ops/loggers", Map.of(), new byte[0]),
                new Caller("t", Role.VIEWER, ""), "", Map.of(), new byte[0], true, true));
        assertThat(r.status()).isEqualTo(501);
        assertThat(r.bodyText()).contains("Logback or Log4j2");
    }

    @Test
    void configBuildersNameTheFieldTheValueAndTheFix() {
        assertThatThrownBy(() -> OpsSurfaceConfig.builder().loggerDurations(Duration.ofHours(2), Duration.ofHours(1)))
                .hasMessageContaining("loggerDuration must not exceed loggerMaxDuration, but was PT2H");
        assertThatThrownBy(() -> OpsSurfaceConfig.builder().jfrDurations(Duration.ZERO, Duration.ofMinutes(1)))
                .hasMessageContaining("jfrDuration must be positive, but was PT0S");
        assertThatThrownBy(() -> OpsSurfaceConfig.builder().healthPath("health/")).hasMessageContaining("'health/'");
        assertThatThrownBy(() -> OpsSurfaceConfig.builder().maxBodyBytes(10)).hasMessageContaining("but was 10");
        assertThatThrownBy(() -> HealthGroup.of("Bad Name", "db:ping")).hasMessageContaining("'Bad Name'");
        assertThatThrownBy(() -> OpsSurfaceConfig.builder().group(HealthGroup.of("db", "a:b")).group(HealthGroup.of("db", "c:d")))
                .hasMessageContaining("'db' is given twice");
    }

    private List<ActionEvent> refusals() {
        return ops.events().history().stream().filter(e -> e instanceof ActionEvent a && "refused".equals(a.action()))
                .map(ActionEvent.class::cast).toList();
    }
}
