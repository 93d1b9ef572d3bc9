package io.opskit.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate authorities a check or a client trusts: the JDK's own, plus any the
 * application adds (a PEM file of an internal CA, a trust store), or only the added ones.
 * Immutable; every {@code plus…} returns a new instance.
 *
 * <pre>{@code
 * TrustedCertificates trust = TrustedCertificates.jdkDefaults().plusPem(Path.of("/etc/ssl/internal-ca.pem"));
 * HttpClient client = HttpClient.newBuilder().sslContext(trust.sslContext()).build();
 * }</pre>
 */
public final class TrustedCertificates {

    private final boolean includeJdk;
    private final List<X509Certificate> added;
    private final X509TrustManager trustManager;

    private TrustedCertificates(boolean includeJdk, List<X509Certificate> added) {
        this.includeJdk = includeJdk;
        this.added = Collections.unmodifiableList(added);
        this.trustManager = buildTrustManager(includeJdk, added);
    }

    /** The JDK's default trust store (its {@code cacerts}, or {@code javax.net.ssl.trustStore} when set). */
    public static TrustedCertificates jdkDefaults() {
        return new TrustedCertificates(true, List.of());
    }

    /** Only the given certificates, without the JDK's; e.g. to pin an internal CA. */
    public static TrustedCertificates only(Collection<X509Certificate> certificates) {
        return new TrustedCertificates(false, List.copyOf(certificates));
    }

    /**
     * These plus every certificate of a PEM file ({@code -----BEGIN CERTIFICATE-----} blocks).
     *
     * @throws IllegalArgumentException if the file cannot be read or holds no certificate
     */
    public TrustedCertificates plusPem(Path pemFile) {
        Objects.requireNonNull(pemFile, "pemFile");
        try (InputStream in = Files.newInputStream(pemFile)) {
            List<X509Certificate> certs = new ArrayList<>();
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certs.add((X509Certificate) c);
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("pemFile " + pemFile + " holds no certificate: "
                        + "give a file of -----BEGIN CERTIFICATE----- blocks");
            }
            return plus(certs);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("pemFile " + pemFile + " could not be read as PEM certificates ("
                    + e.getMessage() + "): give a readable file of -----BEGIN CERTIFICATE----- blocks", e);
        }
    }

    /** These plus every certificate entry of {@code trustStore}. */
    public TrustedCertificates plus(KeyStore trustStore) {
        Objects.requireNonNull(trustStore, "trustStore");
        List<X509Certificate> certs = new ArrayList<>();
        try {
            for (String alias : Collections.list(trustStore.aliases())) {
                Certificate c = trustStore.getCertificate(alias);
                if (c instanceof X509Certificate) {
                    certs.add((X509Certificate) c);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("trustStore could not be read (" + e.getMessage()
                    + "): pass a loaded KeyStore", e);
        }
        return plus(certs);
    }

    /** These plus {@code certificates}. */
    public TrustedCertificates plus(Collection<X509Certificate> certificates) {
        List<X509Certificate> all = new ArrayList<>(added);
        certificates.forEach(c -> all.add(Objects.requireNonNull(c, "certificate")));
        return new TrustedCertificates(includeJdk, all);
    }

    /** The certificates added to the JDK's (or used alone). */
    public List<X509Certificate> added() {
        return added;
    }

    /** Whether the JDK's trusted authorities are included. */
    public boolean includesJdkDefaults() {
        return includeJdk;
    }

    /** A PKIX trust manager over these certificates (hostname checks apply when the connection asks for them). */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /** A new TLS context that trusts these certificates and presents no client certificate. */
    public SSLContext sslContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK offers no TLS context: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager buildTrustManager(boolean includeJdk, List<X509Certificate> added) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (includeJdk && added.isEmpty()) {
                tmf.init((KeyStore) null);
                return x509(tmf);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int n = 0;
            if (includeJdk) {
                TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                jdk.init((KeyStore) null);
                for (X509Certificate c : x509(jdk).getAcceptedIssuers()) {
                    store.setCertificateEntry("jdk-" + n++, c);
                }
            }
            for (X509Certificate c : added) {
                store.setCertificateEntry("added-" + n++, c);
            }
            tmf.init(store);
            return x509(tmf);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("could not build a trust manager: " + e.getMessage(), e);
        }
    }

    private static X509TrustManager x509(TrustManagerFactory tmf) {
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager) {
                return (X509TrustManager) tm;
            }
        }
        throw new IllegalStateException("the JDK offers no X509TrustManager");
    }

    @Override
    public String toString() {
        return "TrustedCertificates{jdk=" + includeJdk + ", added=" + added.size() + '}';
    }
}
