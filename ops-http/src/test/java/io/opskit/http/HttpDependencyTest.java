package io.opskit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
            HttpDependency.builder("payments", URI.create("https://localhost:" + port + "/"))
                    .trust(TrustedCertificates.jdkDefaults().plus(List.of(ca.certificate())))
                    .build().registerWith(ops);
            ops.markReady();

            await().atMost(Duration.ofSeconds(10)).until(() -> status(ops, "payments:http") == Status.PASS
                    && status(ops, "payments:certificate") == Status.FAIL);
            assertThat(ops.health(Probe.READINESS).status()).as("an expiring certificate alerts, it does not take traffic away")
                    .isEqualTo(Status.WARN);
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
