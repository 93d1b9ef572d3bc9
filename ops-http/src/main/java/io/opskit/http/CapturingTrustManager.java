package io.opskit.http;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Delegates to a real trust manager and keeps what it saw: the peer's chain (also when the
 * handshake is then refused, so an untrusted or expired certificate can still be described) and
 * whether a refusal was about trust or about the host name. One instance per handshake.
 */
final class CapturingTrustManager extends X509ExtendedTrustManager {

    private final X509TrustManager delegate;
    private volatile List<X509Certificate> chain;
    private volatile CertificateException untrusted;
    private volatile CertificateException hostnameMismatch;

    CapturingTrustManager(X509TrustManager delegate) {
        this.delegate = delegate;
    }

    List<X509Certificate> chain() {
        return chain;
    }

    CertificateException untrusted() {
        return untrusted;
    }

    CertificateException hostnameMismatch() {
        return hostnameMismatch;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        chain = List.of(certs);
        if (!(delegate instanceof X509ExtendedTrustManager)) {
            checkServerTrusted(certs, authType);
            return;
        }
        try {
            ((X509ExtendedTrustManager) delegate).checkServerTrusted(certs, authType, socket);
        } catch (CertificateException e) {
            classify(certs, authType, e);
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        chain = List.of(certs);
        if (!(delegate instanceof X509ExtendedTrustManager)) {
            checkServerTrusted(certs, authType);
            return;
        }
        try {
            ((X509ExtendedTrustManager) delegate).checkServerTrusted(certs, authType, engine);
        } catch (CertificateException e) {
            classify(certs, authType, e);
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        chain = List.of(certs);
        try {
            delegate.checkServerTrusted(certs, authType);
        } catch (CertificateException e) {
            untrusted = e;
            throw e;
        }
    }

    /** The path check without the host name tells the two refusals apart. */
    private void classify(X509Certificate[] certs, String authType, CertificateException refusal) {
        try {
            delegate.checkServerTrusted(certs, authType);
            hostnameMismatch = refusal;
        } catch (CertificateException pathFailure) {
            untrusted = pathFailure;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a health check never accepts client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a health check never accepts client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("a health check never accepts client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
