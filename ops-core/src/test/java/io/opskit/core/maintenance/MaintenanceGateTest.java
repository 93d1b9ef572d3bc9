package io.opskit.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.ActionEvent;
import io.opskit.core.OpsEvents;
import io.opskit.core.endpoint.contract.MovableClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MaintenanceGateTest {

    private static final String SECRET = "s3cret-s3cret-s3cret";
    private static final Instant NOW = Instant.parse("2026-11-23T18:00:00Z");

    private MovableClock clock;
    private MaintenanceMode mode;
    private MaintenanceGate gate;

    @BeforeEach
    void setUp() {
        clock = new MovableClock(NOW);
        mode = MaintenanceMode.builder().ignoreEnvironment().clock(clock).build();
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
    }

    @Test
    void behindAProxyThatWritesForwardedOnlyForwardedIsRead() {
        mode.enable("x");
        MaintenanceGate rfc = MaintenanceGate.create(mode, MaintenanceConfig.builder().allowCidrs("2001:db8:1::/48")
                .trustedProxies("192.0.2.0/24").forwardedHeader(ForwardedHeader.FORWARDED).build());
        TestRequest rfc7239 = TestRequest.get("/api").from("192.0.2.10")
                .header("Forwarded", "for=198.51.100.4;proto=https, for=\"[2001:db8:1::17]:4711\"");
        assertThat(rfc.clientAddress(rfc7239)).contains("2001:db8:1:0:0:0:0:17");
        assertThat(rfc.decide(rfc7239).isPass()).isTrue();
        TestRequest unknown = TestRequest.get("/api").from("192.0.2.10").header("Forwarded", "for=unknown");
        assertThat(rfc.clientAddress(unknown)).isEmpty();
        assertThat(rfc.decide(unknown).isPass()).isFalse();
        // the client's own X-Forwarded-For is not what this proxy writes: ignored
        TestRequest spoofed = TestRequest.get("/api").from("192.0.2.10").header("Forwarded", "for=198.51.100.4")
                .header("X-Forwarded-For", "2001:db8:1::17");
        assertThat(rfc.clientAddress(spoofed)).contains("198.51.100.4");
    }

    @Test
    void aClientsOwnForwardedHeaderIsIgnoredWhenTheProxyAppendsXForwardedFor() {
        mode.enable("x");
        // the proxy appended the client's real address to X-Forwarded-For and passed the client's Forwarded on untouched
        TestRequest spoofed = TestRequest.get("/api").from("192.0.2.10")
                .header("Forwarded", "for=10.20.1.2")
                .header("X-Forwarded-For", "198.51.100.4");
        assertThat(gate.clientAddress(spoofed)).contains("198.51.100.4");
        assertThat(gate.decide(spoofed).isPass()).isFalse();
        TestRequest onlyForwarded = TestRequest.get("/api").from("192.0.2.10").header("Forwarded", "for=10.20.1.2");
        assertThat(gate.clientAddress(onlyForwarded)).contains("192.0.2.10");
        assertThat(gate.decide(onlyForwarded).isPass()).isFalse();
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

    @Test
    void theBypassCookieCarriesASignedExpiryAndIsRefusedOnceExpired() {
        mode.enable("x");
        String cookie = bypassCookie(gate, TestRequest.get("/orders"));
        assertThat(cookie).matches("[0-9]{10}\\.[0-9a-f]{64}")
                .startsWith(Long.toString(NOW.plus(MaintenanceConfig.DEFAULT_BYPASS_COOKIE_MAX_AGE).getEpochSecond()));
        assertThat(passesWithCookie(cookie)).isTrue();
        clock.advance(Duration.ofMinutes(59));
        assertThat(passesWithCookie(cookie)).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(passesWithCookie(cookie)).as("expired at its signed expiry").isFalse();
    }

    @Test
    void theCookieLifetimeIsConfigurableAndAlsoSentAsMaxAge() {
        MaintenanceGate shortLived = MaintenanceGate.create(mode, MaintenanceConfig.builder().bypassSecret(SECRET)
                .bypassCookieMaxAge(Duration.ofMinutes(5)).build());
        mode.enable("x");
        MaintenanceDecision d = shortLived.decide(TestRequest.get("/").query("maintenance-bypass=" + SECRET));
        assertThat(d.headers().get("Set-Cookie")).contains("Max-Age=300");
        String cookie = bypassCookie(shortLived, TestRequest.get("/"));
        clock.advance(Duration.ofMinutes(5));
        assertThat(shortLived.decide(TestRequest.get("/x").cookie(MaintenanceConfig.DEFAULT_BYPASS_COOKIE, cookie))
                .isPass()).isFalse();
    }

    @Test
    void forgedTamperedAndForeignCookiesAreRefused() {
        mode.enable("x");
        String cookie = bypassCookie(gate, TestRequest.get("/"));
        String expiry = cookie.substring(0, cookie.indexOf('.'));
        String mac = cookie.substring(cookie.indexOf('.') + 1);
        long later = Long.parseLong(expiry) + 86_400;
        char flipped = mac.charAt(10) == '0' ? '1' : '0';
        MaintenanceGate otherSecret = MaintenanceGate.create(mode, MaintenanceConfig.builder()
                .bypassSecret("another-secret-0123456789").build());
        String foreign = bypassCookie(otherSecret, TestRequest.get("/"), "another-secret-0123456789");
        for (String forged : new String[] {
                later + "." + mac,                                          // expiry moved, MAC kept
                expiry + "." + mac.substring(0, 10) + flipped + mac.substring(11), // one MAC digit changed
                expiry + "." + mac.toUpperCase(java.util.Locale.ROOT).replace('A', 'Z'),
                foreign,                                                    // signed with another secret
                SECRET, "", ".", expiry + ".", "-1." + mac, "1" + expiry + "." + mac,
                expiry + "." + mac + "00", "99999999999999999999." + mac}) {
            assertThat(passesWithCookie(forged)).as("cookie %s", forged).isFalse();
        }
        assertThat(passesWithCookie(cookie)).isTrue();
    }

    @Test
    void aCookieIssuedForALongerLifetimeIsRefusedAfterTheLifetimeWasShortened() {
        mode.enable("x");
        MaintenanceGate longLived = MaintenanceGate.create(mode, MaintenanceConfig.builder().bypassSecret(SECRET)
                .bypassCookieMaxAge(Duration.ofDays(7)).build());
        String weekLong = bypassCookie(longLived, TestRequest.get("/"));
        assertThat(passesWithCookie(weekLong)).as("gate with the default 1 h lifetime").isFalse();
    }

    @Test
    void theCookieIsHttpOnlyLaxAndSecureOnlyOverTls() {
        mode.enable("x");
        String plain = gate.decide(TestRequest.get("/").query("maintenance-bypass=" + SECRET)).headers().get("Set-Cookie");
        String tls = gate.decide(TestRequest.get("/").overTls().query("maintenance-bypass=" + SECRET)).headers()
                .get("Set-Cookie");
        assertThat(plain).contains("; HttpOnly", "; SameSite=Lax").doesNotContain("Secure");
        assertThat(tls).contains("; HttpOnly", "; SameSite=Lax").endsWith("; Secure");
    }

    @Test
    void refusedRequestsAndBypassesAreCountedAndBypassesAuditedOncePerClientPerMinute() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        OpsEvents events = OpsEvents.inMemory(100);
        AtomicLong nanos = new AtomicLong();
        MaintenanceGate audited = MaintenanceGate.builder(mode, MaintenanceConfig.builder().bypassSecret(SECRET)
                        .allowCidrs("10.20.0.0/16").build())
                .meterRegistry(registry).events(events).ticker(nanos::get).build();
        mode.enable("x");
        assertThat(audited.decide(TestRequest.get("/a")).isPass()).isFalse();
        assertThat(audited.decide(TestRequest.get("/b")).isPass()).isFalse();
        assertThat(registry.get(MaintenanceGate.REFUSED_METRIC).counter().count()).isEqualTo(2.0);

        for (int i = 0; i < 50; i++) {
            assertThat(audited.decide(TestRequest.get("/api/" + i).from("198.51.100.4")
                    .header("X-Maintenance-Bypass", SECRET)).isPass()).isTrue();
        }
        assertThat(audited.decide(TestRequest.get("/api").from("10.20.3.4")).isPass()).isTrue();
        assertThat(registry.get(MaintenanceGate.BYPASSED_METRIC).tag("by", "header").counter().count()).isEqualTo(50.0);
        assertThat(registry.get(MaintenanceGate.BYPASSED_METRIC).tag("by", "allowlist").counter().count()).isEqualTo(1.0);
        assertThat(registry.get(MaintenanceGate.REFUSED_METRIC).counter().count()).isEqualTo(2.0);

        List<ActionEvent> audit = bypassEvents(events);
        assertThat(audit).hasSize(2);
        assertThat(audit.get(0).details()).containsEntry("client", "198.51.100.4").containsEntry("by", "header")
                .containsEntry("path", "/api/0").containsEntry("method", "GET");
        assertThat(audit.get(0).time()).isEqualTo(NOW);
        assertThat(audit.get(1).details()).containsEntry("client", "10.20.3.4").containsEntry("by", "allowlist");

        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        audited.decide(TestRequest.get("/api").from("198.51.100.4").header("X-Maintenance-Bypass", SECRET));
        assertThat(bypassEvents(events)).hasSize(2);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        String cookie = bypassCookie(audited, TestRequest.get("/").from("198.51.100.4"));
        audited.decide(TestRequest.get("/api").from("198.51.100.4").cookie(MaintenanceConfig.DEFAULT_BYPASS_COOKIE, cookie));
        assertThat(bypassEvents(events)).extracting(e -> e.details().get("by")).containsExactly("header", "allowlist",
                "link");
        assertThat(bypassEvents(events)).allSatisfy(e -> assertThat(e.toString()).doesNotContain(SECRET));
    }

    @Test
    void anUnknownClientIsAuditedByItsPeer() {
        OpsEvents events = OpsEvents.inMemory(10);
        MaintenanceGate audited = MaintenanceGate.builder(mode, MaintenanceConfig.builder().bypassSecret(SECRET)
                .trustedProxies("192.0.2.0/24").build()).events(events).build();
        mode.enable("x");
        audited.decide(TestRequest.get("/api").from("192.0.2.10").header("X-Forwarded-For", "unknown")
                .header("X-Maintenance-Bypass", SECRET));
        assertThat(bypassEvents(events)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("client", "unknown (peer 192.0.2.10)"));
    }

    private boolean passesWithCookie(String value) {
        return gate.decide(TestRequest.get("/orders").cookie(MaintenanceConfig.DEFAULT_BYPASS_COOKIE, value)).isPass();
    }

    private static String bypassCookie(MaintenanceGate g, TestRequest request) {
        return bypassCookie(g, request, SECRET);
    }

    private static String bypassCookie(MaintenanceGate g, TestRequest request, String secret) {
        MaintenanceDecision d = g.decide(request.query("maintenance-bypass=" + secret));
        assertThat(d.action()).isEqualTo(MaintenanceDecision.Action.REDIRECT);
        String setCookie = d.headers().get("Set-Cookie");
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    private static List<ActionEvent> bypassEvents(OpsEvents events) {
        return events.history().stream().filter(ActionEvent.class::isInstance).map(ActionEvent.class::cast)
                .filter(e -> e.action().equals("bypass")).toList();
    }

    private static String body(MaintenanceDecision d) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        d.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
