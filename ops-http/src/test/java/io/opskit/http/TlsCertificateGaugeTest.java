package io.opskit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class TlsCertificateGaugeTest {

    private static final TlsServers SERVERS = new TlsServers();

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    @Test
    void daysLeftAreExportedAsOpskitTlsCertificateExpiryDays() throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("opskit gauge CA");
        int port = SERVERS.start(TestCertificates.expiringIn(ca, Duration.ofDays(5)));
        TlsCertificateCheck check = TlsCertificateCheck.builder("localhost", port)
                .trust(TrustedCertificates.jdkDefaults().plus(List.of(ca.certificate()))).build();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        check.bindTo(registry);
        assertThat(registry.get("opskit.tls.certificate.expiry").gauge().value()).isNaN();

        check.check();

        assertThat(registry.get("opskit.tls.certificate.expiry").tag("host", "localhost").tag("port", Integer.toString(port))
                .gauge().value()).isCloseTo(5.0, within(0.1));
        assertThat(registry.scrape()).contains("opskit_tls_certificate_expiry_days{host=\"localhost\",port=\"" + port + "\"}");
    }

    @Test
    void attachingTheCheckRegistersItNonCriticalAndBindsItsGauge() {
        TlsCertificateCheck check = TlsCertificateCheck.builder("localhost", 8443).interval(Duration.ofMinutes(30)).build();
        try (io.opskit.core.Ops ops = io.opskit.core.Ops.builder().bindJvmMetrics(false).build()) {
            io.opskit.core.Attachment a = ops.attach(check);
            assertThat(a.checks()).containsExactly("localhost:certificate");
            assertThat(ops.registrations().get(0).critical()).isFalse();
            assertThat(ops.registrations().get(0).interval()).isEqualTo(Duration.ofMinutes(30));
            assertThat(ops.meterRegistry().get("opskit.tls.certificate.expiry").tag("port", "8443").gauge().value()).isNaN();
            a.close();
            assertThat(ops.meterRegistry().find("opskit.tls.certificate.expiry").gauges()).isEmpty();
        }
    }
}
