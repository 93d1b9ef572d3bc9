package io.opskit.http;

import io.opskit.core.AttachContext;
import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.OpsComponent;
import io.opskit.core.Redactor;
import io.opskit.core.Result;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * The runbook's {@code openssl s_client -connect host:443 | openssl x509 -noout -dates} as a
 * check: connects to {@code host:port} with SNI, reads the peer's chain and reports the days
 * until its earliest {@code notAfter} (the observed value, unit {@code days}).
 *
 * <ul>
 *   <li>PASS: trusted, matches the host name, and valid for at least {@code warnWithin} (14 days).</li>
 *   <li>WARN: expires within {@code warnWithin}.</li>
 *   <li>FAIL: expires within {@code failWithin} (7 days), has expired, is not valid yet, is not
 *       trusted (self-signed, unknown CA), does not match the host name, or no handshake happened
 *       (refused, timed out).</li>
 * </ul>
 *
 * <pre>{@code
 * TlsCertificateCheck cert = TlsCertificateCheck.builder("api.example.com", 443)
 *         .trust(TrustedCertificates.jdkDefaults().plusPem(Path.of("internal-ca.pem")))
 *         .build();
 * ops.attach(cert);   // api.example.com:certificate (hourly, non-critical) and its expiry gauge
 * }</pre>
 *
 * <p>Each run makes a fresh TLS context, so no session is resumed and the chain is always the
 * one the server presents now. Connect and handshake are bounded by {@code timeout}; keep it
 * below the registration's timeout.
 */
public final class TlsCertificateCheck implements HealthCheck, OpsComponent, io.micrometer.core.instrument.binder.MeterBinder {

    /** Default: WARN when a certificate of the chain expires within 14 days. */
    public static final Duration DEFAULT_WARN_WITHIN = CertificateExpiry.DEFAULT_WARN_WITHIN;
    /** Default: FAIL when a certificate of the chain expires within 7 days. */
    public static final Duration DEFAULT_FAIL_WITHIN = CertificateExpiry.DEFAULT_FAIL_WITHIN;
    /** Default bound of the connect and of the handshake: 2 seconds each. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** Default interval of the check when attached: 1 hour (a certificate's days change slowly). */
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
    /** Added to the engine's deadline, so the check's own timeout message wins. */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private final String host;
    private final int port;
    private final String serverName;
    private final TrustedCertificates trust;
    private final Duration timeout;
    private final Duration warnWithin;
    private final Duration failWithin;
    private final boolean verifyHostname;
    private final Clock clock;
    private final String what;
    private final String name;
    private final Duration interval;
    private volatile double daysLeft = Double.NaN;   // of the latest chain read; the gauge's value

    private TlsCertificateCheck(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.serverName = b.serverName == null ? b.host : b.serverName;
        this.trust = b.trust;
        this.timeout = b.timeout;
        this.warnWithin = b.warnWithin;
        this.failWithin = b.failWithin;
        this.verifyHostname = b.verifyHostname;
        this.clock = b.clock;
        this.what = host + ":" + port;
        this.name = b.name == null ? defaultName(host) : b.name;
        this.interval = b.interval;
    }

    /** {@code <host>:certificate}, the host mapped to the name alphabet. */
    private static String defaultName(String host) {
        String component = host.replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[^A-Za-z0-9]+", "");
        component = component.substring(0, Math.min(component.length(), 63));
        String name = (component.isEmpty() ? "tls" : component) + ":certificate";
        return CheckRegistration.isValidName(name) ? name : "tls:certificate";
    }

    /** The check name: {@code <host>:certificate} unless {@linkplain Builder#name(String) named}. */
    public String name() {
        return name;
    }

    /**
     * A registration builder preset for this check: component type {@code http}, non-critical (an
     * expiring certificate is an alert for an operator, not a reason to leave the load balancer),
     * the builder's interval, and a deadline above connect plus handshake.
     */
    public CheckRegistration.Builder registrationBuilder() {
        return CheckRegistration.builder(name, this).componentType("http").critical(false).interval(interval)
                .timeout(timeout.multipliedBy(2).plus(MARGIN));
    }

    /** A ready registration of this check; see {@link #registrationBuilder()}. */
    public CheckRegistration registration() {
        return registrationBuilder().build();
    }

    /** Registers {@link #registration()} and binds the expiry gauge ({@link #bindTo}). */
    @Override
    public void attachTo(AttachContext context) {
        context.check(registration());
        context.meters(this);
    }

    /** Starts a check of the certificate served at {@code host:port}. */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /**
     * Starts a check of the certificate of an {@code https} URL's host and port (443 when the URL
     * names none); credentials in the URL play no part and are never shown.
     *
     * @throws IllegalArgumentException if the URL is not an absolute https URL with a host
     */
    public static Builder builder(URI httpsUrl) {
        if (httpsUrl == null || !"https".equalsIgnoreCase(httpsUrl.getScheme()) || httpsUrl.getHost() == null) {
            throw new IllegalArgumentException("url must be an absolute https URL with a host, but was '"
                    + (httpsUrl == null ? null : Redactor.redact(httpsUrl.toString()))
                    + "': use e.g. URI.create(\"https://api.example.com/\")");
        }
        String host = httpsUrl.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Builder(host, httpsUrl.getPort() < 0 ? 443 : httpsUrl.getPort());
    }

    @Override
    public Result check() throws GeneralSecurityException {
        CapturingTrustManager tm = new CapturingTrustManager(trust.trustManager());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {tm}, null);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("host", host);
        extra.put("port", port);
        if (!serverName.equals(host)) {
            extra.put("serverName", serverName);
        }
        List<X509Certificate> chain;
        IOException failure = null;
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(host, port), millis);
            raw.setSoTimeout(millis);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, serverName, port, false)) {
                SSLParameters params = socket.getSSLParameters();
                if (!isIpLiteral(serverName)) {
                    params.setServerNames(List.of(new SNIHostName(serverName)));
                }
                if (verifyHostname) {
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                }
                socket.setSSLParameters(params);
                socket.startHandshake();
                SSLSession session = socket.getSession();
                extra.put("protocol", session.getProtocol());
                extra.put("cipherSuite", session.getCipherSuite());
                chain = x509(session.getPeerCertificates());
            }
        } catch (IOException e) {
            failure = e;
            chain = tm.chain();
        }
        if (chain == null || chain.isEmpty()) {
            return Result.fail(what + ": " + describe(failure)).withDetails(extra);
        }
        Instant now = clock.instant();
        daysLeft = chain.stream().map(c -> c.getNotAfter().toInstant()).min(Instant::compareTo)
                .map(end -> Duration.between(now, end).toSeconds() / 86_400.0).orElse(Double.NaN);
        Result expiry = CertificateExpiry.judge(what, chain, now, warnWithin, failWithin).withDetails(extra);
        boolean validNow = chain.stream().allMatch(c -> !c.getNotBefore().toInstant().isAfter(now)
                && c.getNotAfter().toInstant().isAfter(now));
        if (!validNow) {
            return expiry.withDetail("trusted", tm.untrusted() == null);
        }
        if (tm.untrusted() != null) {
            X509Certificate leaf = chain.get(0);
            boolean selfSigned = chain.size() == 1 && leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
            return Result.fail(what + ": certificate chain is not trusted"
                            + (selfSigned ? " (self-signed " + CertificateExpiry.subject(leaf) + ")" : "")
                            + ": " + rootMessage(tm.untrusted())
                            + "; trust its CA with TrustedCertificates.plusPem(..)")
                    .withDetails(expiry.details()).withDetail("trusted", false)
                    .withObservedValue(expiry.observedValue().orElse(0L), "days");
        }
        if (tm.hostnameMismatch() != null) {
            return Result.fail(what + ": certificate does not match the host name '" + serverName + "' (it names "
                            + CertificateExpiry.subjectAlternativeNames(chain.get(0)) + "): " + rootMessage(tm.hostnameMismatch()))
                    .withDetails(expiry.details()).withDetail("trusted", true).withDetail("hostnameMatches", false)
                    .withObservedValue(expiry.observedValue().orElse(0L), "days");
        }
        if (failure != null) {
            return Result.fail(what + ": " + describe(failure)).withDetails(expiry.details())
                    .withObservedValue(expiry.observedValue().orElse(0L), "days");
        }
        return expiry.withDetail("trusted", true).withDetail("hostnameMatches", verifyHostname);
    }

    /**
     * Binds {@code opskit.tls.certificate.expiry{host,port}} (base unit days; Prometheus
     * {@code opskit_tls_certificate_expiry_days}): days until the earliest {@code notAfter} of the
     * chain the latest run read, negative once expired, NaN before a chain was read. The runbook's
     * "certificate expires in &lt; 7 days" alert reads it.
     */
    @Override
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("opskit.tls.certificate.expiry", this, c -> c.daysLeft)
                .description("Days until the earliest certificate of the chain expires, from the latest check run")
                .baseUnit("days").tag("host", host).tag("port", Integer.toString(port)).register(registry);
    }

    private String describe(IOException e) {
        if (e instanceof SocketTimeoutException) {
            return "no TLS handshake within " + timeout.toMillis() + " ms (" + e.getMessage() + ")";
        }
        if (e instanceof ConnectException) {
            return "connection refused (" + e.getMessage() + ")";
        }
        if (e instanceof UnknownHostException) {
            return "unknown host '" + e.getMessage() + "'";
        }
        if (e instanceof SSLException) {
            return "TLS handshake failed: " + rootMessage(e);
        }
        return Result.describe(e);
    }

    /** The deepest message of a cause chain: the JSSE wrappers repeat it with class names around it. */
    private static String rootMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static List<X509Certificate> x509(Certificate[] certs) {
        List<X509Certificate> out = new ArrayList<>(certs.length);
        for (Certificate c : certs) {
            if (c instanceof X509Certificate) {
                out.add((X509Certificate) c);
            }
        }
        return out;
    }

    private static boolean isIpLiteral(String name) {
        return name.indexOf(':') >= 0 || name.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    @Override
    public String toString() {
        return "TlsCertificateCheck{" + what + (serverName.equals(host) ? "" : ", serverName=" + serverName) + '}';
    }

    /** Options of a {@link TlsCertificateCheck}; every setter validates. */
    public static final class Builder {
        private final String host;
        private final int port;
        private String serverName;
        private TrustedCertificates trust;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Duration warnWithin = DEFAULT_WARN_WITHIN;
        private Duration failWithin = DEFAULT_FAIL_WITHIN;
        private boolean verifyHostname = true;
        private Clock clock = Clock.systemUTC();
        private String name;
        private Duration interval = DEFAULT_INTERVAL;

        private Builder(String host, int port) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must not be blank, but was '" + host + "': use e.g. 'api.example.com'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535, but was " + port + ": use e.g. 443");
            }
            this.host = host;
            this.port = port;
        }

        /** The name sent as SNI and verified against the certificate (default: the host). */
        public Builder serverName(String value) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException("serverName must not be blank, but was '" + value
                        + "': use the DNS name the certificate is issued for");
            }
            this.serverName = value;
            return this;
        }

        /** The authorities to trust (default: the JDK's). */
        public Builder trust(TrustedCertificates value) {
            this.trust = Objects.requireNonNull(value, "trust must not be null: use TrustedCertificates.jdkDefaults()");
            return this;
        }

        /** Bound of the connect and of the handshake (default 2 s). */
        public Builder timeout(Duration value) {
            this.timeout = CertificateExpiry.positive("timeout", value, "Duration.ofSeconds(2)");
            return this;
        }

        /** WARN when the earliest certificate expires within this (default 14 days). */
        public Builder warnWithin(Duration value) {
            this.warnWithin = CertificateExpiry.positive("warnWithin", value, "Duration.ofDays(14)");
            return this;
        }

        /** FAIL when the earliest certificate expires within this (default 7 days). */
        public Builder failWithin(Duration value) {
            this.failWithin = CertificateExpiry.positive("failWithin", value, "Duration.ofDays(7)");
            return this;
        }

        /** Whether a certificate that does not name the server is FAIL (default true). */
        public Builder verifyHostname(boolean value) {
            this.verifyHostname = value;
            return this;
        }

        /** The check name, {@code component:measurement} (default {@code <host>:certificate}). */
        public Builder name(String value) {
            if (value == null || !CheckRegistration.isValidName(value)) {
                throw new IllegalArgumentException("name must be 'component:measurement' (letters, digits, '.', '_', '-'),"
                        + " but was '" + value + "': use e.g. 'payments:certificate'");
            }
            this.name = value;
            return this;
        }

        /** Interval of the check when attached (default 1 h). */
        public Builder interval(Duration value) {
            this.interval = CertificateExpiry.positive("interval", value, "Duration.ofHours(1)");
            return this;
        }

        /** The clock the days are counted with (default: the system's). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock must not be null: use Clock.systemUTC()");
            return this;
        }

        /**
         * Builds the check.
         *
         * @throws IllegalArgumentException if failWithin exceeds warnWithin
         */
        public TlsCertificateCheck build() {
            CertificateExpiry.validate(warnWithin, failWithin);
            if (trust == null) {
                trust = TrustedCertificates.jdkDefaults();
            }
            return new TlsCertificateCheck(this);
        }
    }
}
