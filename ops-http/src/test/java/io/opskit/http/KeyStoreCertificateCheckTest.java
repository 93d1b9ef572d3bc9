package io.opskit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.opskit.core.Result;
import io.opskit.core.Status;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreCertificateCheckTest {

    private static TestCertificates.Issued ca;

    @BeforeAll
    static void certificateAuthority() throws Exception {
        ca = TestCertificates.ca("opskit test CA");
    }

    @Test
    void theEntryClosestToExpiryDecides() throws Exception {
        KeyStore ks = TestCertificates.expiringIn(ca, Duration.ofDays(90)).keyStore("long-lived");
        TestCertificates.Issued soon = TestCertificates.expiringIn(ca, Duration.ofDays(10));
        ks.setKeyEntry("soon", soon.keys().getPrivate(), "changeit".toCharArray(), soon.chain());
        ks.setCertificateEntry("ca", ca.certificate());

        Result r = KeyStoreCertificateCheck.builder(ks).build().check();
        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.details()).containsEntry("alias", "soon");
        assertThat(r.observedValue()).contains(9L);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("alias 'soon'").contains("expires in 9 days"));

        Result onlyLongLived = KeyStoreCertificateCheck.builder(ks).aliases("long-lived").build().check();
        assertThat(onlyLongLived.status()).isEqualTo(Status.PASS);

        Result missing = KeyStoreCertificateCheck.builder(ks).aliases("nope").build().check();
        assertThat(missing.status()).isEqualTo(Status.FAIL);
        assertThat(missing.output()).hasValueSatisfying(o -> assertThat(o).contains("alias 'nope' holds no X.509 certificate"));
    }

    @Test
    void aKeyStoreFileIsReadAgainOnEveryRun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("server.p12");
        write(TestCertificates.expiringIn(ca, Duration.ofDays(3)).keyStore("server"), file);
        KeyStoreCertificateCheck check = KeyStoreCertificateCheck.builder(file, "changeit".toCharArray()).build();
        assertThat(check.check().status()).isEqualTo(Status.FAIL);

        write(TestCertificates.expiringIn(ca, Duration.ofDays(90)).keyStore("server"), file);
        assertThat(check.check().status()).isEqualTo(Status.PASS);

        Files.delete(file);
        assertThat(check.check().output()).hasValueSatisfying(o -> assertThat(o).contains("missing or unreadable"));
    }

    private static void write(KeyStore ks, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, "changeit".toCharArray());
        }
    }
}
