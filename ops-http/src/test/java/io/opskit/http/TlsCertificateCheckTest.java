package io.opskit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opskit.core.Result;
import io.opskit.core.Status;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsCertificateCheckTest {

    private static final TlsServers SERVERS = new TlsServers();
    private static TestCertificates.Issued ca;
    private static TrustedCertificates trust;

    @BeforeAll
    static void certificateAuthority() throws Exception {
        ca = TestCertificates.ca("opskit test CA");
        trust = TrustedCertificates.jdkDefaults().plus(List.of(ca.certificate()));
    }

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    private static Result check(TestCertificates.Issued issued) throws Exception {
        int port = SERVERS.start(issued);
        return TlsCertificateCheck.builder("localhost", port).trust(trust).build().check();
    }

    @Test
    void certificateValidFor90DaysPasses() throws Exception {
        Result r = check(TestCertificates.expiringIn(ca, Duration.ofDays(90)));
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.observedValue()).contains(89L);
        assertThat(r.observedUnit()).contains("days");
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("expires in 89 days"));
        assertThat(r.details()).containsEntry("subject", "'CN=localhost'").containsEntry("trusted", true)
                .containsEntry("chainLength", 2).containsKeys("notAfter", "protocol", "issuer");
    }

    @Test
    void certificateExpiringIn10DaysWarns() throws Exception {
        Result r = check(TestCertificates.expiringIn(ca, Duration.ofDays(10)));
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("expires in 9 days").contains("within 14 days"));
    }

    @Test
    void certificateExpiringIn3DaysFails() throws Exception {
        Result r = check(TestCertificates.expiringIn(ca, Duration.ofDays(3)));
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("expires in 2 days").contains("renew it now"));
        assertThat(r.observedValue()).contains(2L);
    }

    @Test
    void expiredCertificateFailsSayingSo() throws Exception {
        Instant now = Instant.now();
        Result r = check(TestCertificates.leaf(ca, now.minus(Duration.ofDays(100)), now.minus(Duration.ofDays(2)), "localhost"));
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("expired on").contains("2 days ago"));
        assertThat(r.observedValue()).contains(-2L);
    }

    @Test
    void certificateNotValidYetFails() throws Exception {
        Instant now = Instant.now();
        Result r = check(TestCertificates.leaf(ca, now.plus(Duration.ofDays(5)), now.plus(Duration.ofDays(95)), "localhost"));
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("is not valid yet"));
    }

    @Test
    void certificateForAnotherHostFailsNamingTheNamesItHas() throws Exception {
        Result r = check(TestCertificates.leaf(ca, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(90)), "wrong.example"));
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o)
                .contains("does not match the host name 'localhost'").contains("DNS:wrong.example"));
        assertThat(r.details()).containsEntry("hostnameMatches", false).containsEntry("trusted", true);
    }

    @Test
    void selfSignedCertificateIsUntrusted() throws Exception {
        Result r = check(TestCertificates.leaf(null, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(90)), "localhost"));
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o)
                .contains("not trusted").contains("self-signed 'CN=localhost'").contains("TrustedCertificates.plusPem"));
        assertThat(r.details()).containsEntry("trusted", false);
        assertThat(r.observedValue()).contains(89L);
    }

    @Test
    void certificateOfAnUnknownCaIsUntrustedWithTheJdkDefaultsAlone() throws Exception {
        int port = SERVERS.start(TestCertificates.expiringIn(ca, Duration.ofDays(90)));
        Result r = TlsCertificateCheck.builder("localhost", port).build().check();
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("not trusted")
                .contains("unable to find valid certification path"));
    }

    @Test
    void caFromAPemFileIsTrustedBesideTheJdks(@TempDir Path dir) throws Exception {
        Path pem = Files.writeString(dir.resolve("ca.pem"), TestCertificates.pem(ca.certificate()));
        int port = SERVERS.start(TestCertificates.expiringIn(ca, Duration.ofDays(90)));
        Result r = TlsCertificateCheck.builder("localhost", port)
                .trust(TrustedCertificates.jdkDefaults().plusPem(pem)).build().check();
        assertThat(r.status()).isEqualTo(Status.PASS);
    }

    @Test
    void theServerNameIsSentAsSniAndVerifiedAgainstTheCertificate() throws Exception {
        int port = SERVERS.start(TestCertificates.leaf(ca, Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(90)), "api.internal.test"));
        Result r = TlsCertificateCheck.builder("127.0.0.1", port).serverName("api.internal.test").trust(trust).build().check();
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(SERVERS.serverNames).contains("api.internal.test");
        assertThat(r.details()).containsEntry("serverName", "api.internal.test").containsEntry("hostnameMatches", true);
    }

    @Test
    void anHttpsEndpointCheckTrustsTheSameAddedCa() throws Exception {
        int port = SERVERS.start(TestCertificates.expiringIn(ca, Duration.ofDays(90)));
        String url = "https://localhost:" + port + "/";
        assertThat(HttpEndpointCheck.builder(url).trust(trust).build().check().status()).isEqualTo(Status.PASS);
        Result untrusted = HttpEndpointCheck.builder(url).build().check();
        assertThat(untrusted.status()).isEqualTo(Status.FAIL);
        assertThat(untrusted.output()).hasValueSatisfying(o -> assertThat(o).contains("TLS handshake failed"));
    }

    @Test
    void hangingPeerFailsAtTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Result r = TlsCertificateCheck.builder("localhost", silent.getLocalPort()).timeout(Duration.ofMillis(300))
                    .build().check();
            assertThat(r.status()).isEqualTo(Status.FAIL);
            assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("no TLS handshake within 300 ms"));
        }
    }

    @Test
    void refusedConnectionFailsFast() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result r = TlsCertificateCheck.builder("localhost", port).build().check();
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("connection refused"));
    }

    @Test
    void anHttpsUrlNamesTheHostAndPortToCheck() throws Exception {
        int port = SERVERS.start(TestCertificates.expiringIn(ca, Duration.ofDays(90)));
        Result r = TlsCertificateCheck.builder(java.net.URI.create("https://ops:s3cr3t@localhost:" + port + "/health")).trust(trust)
                .build().check();
        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).startsWith("localhost:" + port + ":"));
        assertThat(TlsCertificateCheck.builder(java.net.URI.create("https://api.example.com/")).build().toString())
                .contains("api.example.com:443");
        assertThatThrownBy(() -> TlsCertificateCheck.builder(java.net.URI.create("http://u:s3cr3t@api.example.com/")))
                .hasMessageContaining("absolute https URL").satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t"));
    }

    @Test
    void builderRejectsBadValuesNamingTheFix() {
        assertThatThrownBy(() -> TlsCertificateCheck.builder("", 443)).hasMessageContaining("host must not be blank");
        assertThatThrownBy(() -> TlsCertificateCheck.builder("a", 0)).hasMessageContaining("port must be between 1 and 65535, but was 0");
        assertThatThrownBy(() -> TlsCertificateCheck.builder("a", 443).timeout(Duration.ZERO))
                .hasMessageContaining("timeout must be positive, but was PT0S");
        assertThatThrownBy(() -> TlsCertificateCheck.builder("a", 443).warnWithin(Duration.ofDays(3)).build())
                .hasMessageContaining("failWithin must not exceed warnWithin");
    }
}
