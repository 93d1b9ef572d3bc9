package io.opskit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedCertificatesTest {

    @Test
    void addedCertificatesAreTrustedBesideTheJdksOrAlone(@TempDir Path dir) throws Exception {
        TestCertificates.Issued ca = TestCertificates.ca("opskit pem CA");
        TestCertificates.Issued other = TestCertificates.ca("opskit other CA");
        Path pem = Files.writeString(dir.resolve("cas.pem"), TestCertificates.pem(ca.certificate(), other.certificate()));

        TrustedCertificates withJdk = TrustedCertificates.jdkDefaults().plusPem(pem);
        assertThat(withJdk.added()).hasSize(2);
        assertThat(withJdk.includesJdkDefaults()).isTrue();
        assertThat(withJdk.trustManager().getAcceptedIssuers().length).isGreaterThan(2);
        assertThat(withJdk.trustManager().getAcceptedIssuers()).contains(ca.certificate(), other.certificate());

        TrustedCertificates alone = TrustedCertificates.only(List.of(ca.certificate()));
        assertThat(alone.trustManager().getAcceptedIssuers()).containsExactly(ca.certificate());
        assertThat(alone.plus(ca.keyStore("x")).added()).hasSize(2);
        assertThat(alone.sslContext().getProtocol()).isEqualTo("TLS");
    }

    @Test
    void aFileWithoutCertificatesIsRejectedNamingItAndTheFix(@TempDir Path dir) throws Exception {
        Path notPem = Files.writeString(dir.resolve("notes.txt"), "not a certificate");
        assertThatThrownBy(() -> TrustedCertificates.jdkDefaults().plusPem(notPem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("notes.txt").hasMessageContaining("BEGIN CERTIFICATE");
        assertThatThrownBy(() -> TrustedCertificates.jdkDefaults().plusPem(dir.resolve("missing.pem")))
                .hasMessageContaining("missing.pem could not be read");
    }
}
