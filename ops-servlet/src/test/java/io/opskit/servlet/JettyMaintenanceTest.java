package io.opskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.Ops;
import io.opskit.core.maintenance.MaintenanceMode;
import jakarta.servlet.ServletContainerInitializer;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** The hardened maintenance filter on embedded Jetty 12 (ee10), plus the bypass cookie over real TLS. */
class JettyMaintenanceTest extends MaintenanceContractTest {

    @Override
    TestServer start(ServletContainerInitializer setup) throws Exception {
        return TestServer.jetty(setup);
    }

    @Test
    void theBypassCookieIsSecureOverTls() throws Exception {
        KeyPair keys = generate(KeyPairGenerator.getInstance("EC"));
        X509Certificate certificate = selfSigned(keys);
        KeyStore serverKeys = KeyStore.getInstance("PKCS12");
        serverKeys.load(null, null);
        serverKeys.setKeyEntry("server", keys.getPrivate(), "changeit".toCharArray(), new X509Certificate[] {certificate});
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", certificate);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        try (Ops tlsOps = Ops.builder().meterRegistry(new SimpleMeterRegistry()).build();
             MaintenanceMode mode = MaintenanceMode.builder().ignoreEnvironment().build();
             TestServer tlsServer = TestServer.jettyTls(setup(tlsOps, mode), serverKeys)) {
            mode.enable("upgrade");
            URI link = URI.create("https://127.0.0.1:" + tlsServer.port() + "/app?maintenance-bypass=" + SECRET);
            HttpResponse<String> response = https.send(HttpRequest.newBuilder(link).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(303);
            assertThat(response.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c)
                    .contains("HttpOnly", "SameSite=Lax").endsWith("; Secure"));
            String cookie = response.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            HttpResponse<String> in = https.send(HttpRequest.newBuilder(link.resolve("/app"))
                    .header("Cookie", cookie).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(in.statusCode()).isEqualTo(200);
        }
        // and over plain HTTP (the class's own server) the same link sets no Secure attribute
        maintenance.enable("upgrade");
        assertThat(get("/app?maintenance-bypass=" + SECRET).headers().firstValue("Set-Cookie").orElseThrow())
                .doesNotContain("Secure");
    }

    private static KeyPair generate(KeyPairGenerator g) throws Exception {
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** A certificate for 127.0.0.1 (an IP SAN, so the client's hostname check passes without SNI). */
    private static X509Certificate selfSigned(KeyPair keys) throws Exception {
        X500Name name = new X500Name("CN=127.0.0.1");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
    }
}
