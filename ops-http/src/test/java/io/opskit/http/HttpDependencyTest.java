package io.opskit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.opskit.core.Attachment;
import io.opskit.core.CheckRegistration;
import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Status;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpDependencyTest {

    @Test
    void anHttpsDependencyGetsAReachabilityAndANonCriticalCertificateCheck() throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("opskit dependency CA");
        try (TlsServers servers = new TlsServers(); Ops ops = Ops.builder().threads(2).build().start()) {
            int port = servers.start(TestCertificates.expiringIn(ca, Duration.ofDays(5)));
            Attachment attachment = ops.attach(HttpDependency.builder("payments", URI.create("https://localhost:" + port + "/"))
                    .trust(TrustedCertificates.jdkDefaults().plus(List.of(ca.certificate())))
                    .build());
            ops.markReady();
            assertThat(attachment.checks()).containsExactly("payments:http", "payments:certificate");
            assertThat(ops.registrations()).hasSize(2);

            await().atMost(Duration.ofSeconds(10)).until(() -> status(ops, "payments:http") == Status.PASS
                    && status(ops, "payments:certificate") == Status.FAIL);
            assertThat(ops.health(Probe.READINESS).status()).as("an expiring certificate alerts, it does not take traffic away")
                    .isEqualTo(Status.WARN);
            assertThat(ops.meterRegistry().get("opskit.tls.certificate.expiry").tag("port", Integer.toString(port)).gauge().value())
                    .isBetween(4.0, 5.0);

            attachment.close();
            assertThat(ops.registrations()).isEmpty();
            assertThat(ops.meterRegistry().find("opskit.tls.certificate.expiry").gauges()).isEmpty();
        }
    }

    @Test
    void anHttpDependencyHasNoCertificateCheckAndTimeoutsLeaveTheCheckItsOwnMessage() {
        List<CheckRegistration> rs = HttpDependency.builder("search", URI.create("http://search.internal:9200/_cluster/health"))
                .timeout(Duration.ofMillis(500)).critical(false).build().registrations();
        assertThat(rs).extracting(CheckRegistration::name).containsExactly("search:http");
        assertThat(rs.get(0).timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(rs.get(0).critical()).isFalse();
        assertThat(rs.get(0).componentType()).isEqualTo("http");
    }

    @Test
    void theCertificateCheckOfAnHttpsDependencyIsNonCriticalAndHourly() {
        List<CheckRegistration> rs = HttpDependency.builder("payments", URI.create("https://payments.example.com/health"))
                .timeout(Duration.ofSeconds(1)).build().registrations();
        assertThat(rs).extracting(CheckRegistration::name).containsExactly("payments:http", "payments:certificate");
        assertThat(rs.get(1).critical()).isFalse();
        assertThat(rs.get(1).interval()).isEqualTo(HttpDependency.DEFAULT_CERTIFICATE_INTERVAL);
        assertThat(rs.get(1).timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(TlsCertificateCheck.builder("api.example.com", 443).build().name()).isEqualTo("api.example.com:certificate");
        assertThat(TlsCertificateCheck.builder("::1", 8443).build().name()).isEqualTo("1:certificate");
        assertThatThrownBy(() -> TlsCertificateCheck.builder("x", 1).name("certificate"))
                .hasMessageContaining("name must be 'component:measurement'");
    }

    @Test
    void badNamesAndUrlsAreRejectedNamingTheFix() {
        assertThatThrownBy(() -> HttpDependency.builder("pay ments", URI.create("https://x/")))
                .hasMessageContaining("name must be a check component");
        assertThatThrownBy(() -> HttpDependency.builder("payments", URI.create("ftp://x/")))
                .hasMessageContaining("absolute http or https URL");
    }

    private static Status status(Ops ops, String name) {
        return ops.check(name).map(CheckState::status).orElse(null);
    }
}
