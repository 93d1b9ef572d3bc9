package io.opskit.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MaintenanceGateTest {

    private static final String SECRET = "s3cret-s3cret-s3cret";
    private static final Instant NOW = Instant.parse("2026-11-23T18:00:00Z");

    private MaintenanceMode mode;
    private MaintenanceGate gate;

    @BeforeEach
    void setUp() {
        mode = MaintenanceMode.builder().ignoreEnvironment().clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
        gate = MaintenanceGate.create(mode, MaintenanceConfig.builder()
                .passThrough("/static/")
                .bypassSecret(SECRET)
                .allowCidrs("10.20.0.0/16", "2001:db8:1::/48")
                .trustedProxies("192.0.2.0/24")
                .build());
    }

    @Test
    void everythingPassesWhileMaintenanceIsOff() {
        assertThat(gate.decide(TestRequest.get("/api/items")).isPass()).isTrue();
    }

    @Test
    void apiClientsGetProblemJsonWithRetryAfterFromTheExpectedEnd() throws IOException {
        mode.enable("database upgrade", Duration.ofMinutes(10));
        MaintenanceDecision d = gate.decide(TestRequest.get("/api/items").header("Accept", "application/json"));
        assertThat(d.action()).isEqualTo(MaintenanceDecision.Action.BLOCK);
        assertThat(d.status()).isEqualTo(503);
        assertThat(d.headers()).containsEntry("Retry-After", "600").containsEntry("Cache-Control", "no-store");
        assertThat(d.contentType()).contains("application/problem+json");
        assertThat(body(d)).contains("\"status\":503", "\"title\":\"Service Unavailable\"",
                "\"detail\":\"database upgrade\"", "\"expectedEnd\":\"2026-11-23T18:10:00Z\"");
        assertThat(d.contentLength()).isEqualTo(body(d).getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void browsersGetTheHtmlPageWithTheReasonEscaped() throws IOException {
        mode.enable("<b>upgrade</b> & more");
        MaintenanceDecision d = gate.decide(TestRequest.get("/").header("Accept",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
        assertThat(d.contentType()).contains("text/html;charset=UTF-8");
        assertThat(body(d)).contains("&lt;b&gt;upgrade&lt;/b&gt; &amp; more").doesNotContain("<b>upgrade");
        assertThat(d.headers()).containsEntry("Retry-After", "300");
    }

    @Test
    void healthMetricsAndConfiguredPrefixesPassButLookalikesDoNot() {
        mode.enable("x");
        assertThat(gate.decide(TestRequest.get("/health")).isPass()).isTrue();
        assertThat(gate.decide(TestRequest.get("/health/ready")).isPass()).isTrue();
        assertThat(gate.decide(TestRequest.get("/metrics")).isPass()).isTrue();
        assertThat(gate.decide(TestRequest.get("/static/app.css")).isPass()).isTrue();
        assertThat(gate.decide(TestRequest.get("/healthy")).isPass()).isFalse();
        assertThat(gate.decide(TestRequest.get("/metricsfoo")).isPass()).isFalse();
    }

    @Test
    void theBypassHeaderLetsOperatorsInAndAWrongSecretDoesNot() {
        mode.enable("x");
        assertThat(gate.decide(TestRequest.get("/api").header("X-Maintenance-Bypass", SECRET)).isPass()).isTrue();
        assertThat(gate.decide(TestRequest.get("/api").header("X-Maintenance-Bypass", SECRET + "x")).isPass()).isFalse();
        assertThat(gate.decide(TestRequest.get("/api").header("X-Maintenance-Bypass", "")).isPass()).isFalse();
    }

    @Test
    void theBypassLinkSetsACookieThatHoldsNoSecretAndRedirectsWithoutTheSecret() {
        mode.enable("x");
        MaintenanceDecision d = gate.decide(TestRequest.get("/orders").query("page=2&maintenance-bypass=" + SECRET));
        assertThat(d.action()).isEqualTo(MaintenanceDecision.Action.REDIRECT);
        assertThat(d.status()).isEqualTo(303);
        assertThat(d.headers()).containsEntry("Location", "/orders?page=2");
        String setCookie = d.headers().get("Set-Cookie");
        assertThat(setCookie).startsWith("opskit_maintenance_bypass=").contains("HttpOnly", "SameSite=Lax", "Path=/")
                .doesNotContain(SECRET);
        String value = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
        assertThat(gate.decide(TestRequest.get("/orders").cookie("opskit_maintenance_bypass", value)).isPass()).isTrue();
        assertThat(gate.decide(TestRequest.get("/orders").cookie("opskit_maintenance_bypass", SECRET)).isPass()).isFalse();
        assertThat(gate.decide(TestRequest.get("/orders").query("maintenance-bypass=wrong-wrong-wrong-wrong")).action())
                .isEqualTo(MaintenanceDecision.Action.BLOCK);
    }

    @Test
    void theBypassRedirectNeverLeavesTheSite() {
        mode.enable("x");
        for (String uri : new String[] {"//evil.example/x", "/\\evil.example/x", "https://evil.example/"}) {
            MaintenanceDecision d = gate.decide(TestRequest.get("/x").uri(uri).query("maintenance-bypass=" + SECRET));
            assertThat(d.headers()).containsEntry("Location", "/");
        }
    }

    @Test
    void allowlistedNetworksPassIpv4AndIpv6() {
        mode.enable("x");
        assertThat(gate.decide(TestRequest.get("/api").from("10.20.3.4")).isPass()).isTrue();
        assertThat(gate.decide(TestRequest.get("/api").from("10.21.3.4")).isPass()).isFalse();
        assertThat(gate.decide(TestRequest.get("/api").from("2001:db8:1:ffff::9")).isPass()).isTrue();
        assertThat(gate.decide(TestRequest.get("/api").from("[2001:db8:2::9]")).isPass()).isFalse();
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
        mode.enable("x");
        TestRequest spoofed = TestRequest.get("/api").from("203.0.113.9").header("X-Forwarded-For", "10.20.0.1");
        assertThat(gate.decide(spoofed).isPass()).isFalse();
        assertThat(gate.clientAddress(spoofed)).contains("203.0.113.9");
    }

    @Test
    void forwardedHeadersFromATrustedProxyNameTheRightMostUntrustedHop() {
        mode.enable("x");
        TestRequest viaProxy = TestRequest.get("/api").from("192.0.2.10")
                .header("X-Forwarded-For", "10.20.0.1, 198.51.100.4", "192.0.2.11");
        // the client could have written 10.20.0.1 itself: only the hop the trusted proxies saw counts
        assertThat(gate.clientAddress(viaProxy)).contains("198.51.100.4");
        assertThat(gate.decide(viaProxy).isPass()).isFalse();
        TestRequest office = TestRequest.get("/api").from("192.0.2.10").header("X-Forwarded-For", "10.20.0.1");
        assertThat(gate.decide(office).isPass()).isTrue();
        TestRequest rfc7239 = TestRequest.get("/api").from("192.0.2.10")
                .header("Forwarded", "for=198.51.100.4;proto=https, for=\"[2001:db8:1::17]:4711\"");
        assertThat(gate.clientAddress(rfc7239)).contains("2001:db8:1:0:0:0:0:17");
        assertThat(gate.decide(rfc7239).isPass()).isTrue();
        TestRequest unknown = TestRequest.get("/api").from("192.0.2.10").header("Forwarded", "for=unknown");
        assertThat(gate.clientAddress(unknown)).isEmpty();
        assertThat(gate.decide(unknown).isPass()).isFalse();
    }

    @Test
    void aCustomTemplateIsFilledIn() throws IOException {
        MaintenanceGate custom = MaintenanceGate.create(mode, MaintenanceConfig.builder()
                .htmlTemplate("<p>{{reason}} until {{expectedEnd}}</p>").build());
        mode.enableUntil("upgrade", NOW.plusSeconds(90));
        MaintenanceDecision d = custom.decide(TestRequest.get("/").header("Accept", "text/html"));
        assertThat(body(d)).isEqualTo("<p>upgrade until 2026-11-23T18:01:30Z</p>");
        assertThat(d.headers()).containsEntry("Retry-After", "90");
    }

    private static String body(MaintenanceDecision d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
