package io.opskit.http;

import io.opskit.core.AttachContext;
import io.opskit.core.CheckRegistration;
import io.opskit.core.OpsComponent;
import io.opskit.core.Redactor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One external HTTP dependency in one line: its reachability check {@code <name>:http} (an
 * {@link HttpEndpointCheck}) and, for an {@code https} URL, its certificate-expiry check
 * {@code <name>:certificate} (a {@link TlsCertificateCheck}), both with the same trust.
 *
 * <pre>{@code
 * HttpDependency payments = HttpDependency.builder("payments", URI.create("https://payments.example.com/health"))
 *         .trust(TrustedCertificates.jdkDefaults().plusPem(Path.of("ca.pem")))
 *         .build();
 * ops.attach(payments);   // payments:http, payments:certificate and its expiry gauge
 * }</pre>
 *
 * <p>The reachability check is critical by default (a dependency that does not answer makes the
 * service not ready); the certificate check is not: a certificate that expires in five days is an
 * alert for an operator, not a reason to take the service out of the load balancer. Once it has
 * expired the reachability check fails on the TLS handshake anyway.
 */
public final class HttpDependency implements OpsComponent {

    /** Default interval of the reachability check: 10 seconds. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Default interval of the certificate check: 1 hour. */
    public static final Duration DEFAULT_CERTIFICATE_INTERVAL = Duration.ofHours(1);
    /** Default bound of one request or handshake: 2 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** Added to the request timeout for the engine's deadline, so the check's own message wins. */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private final CheckRegistration http;
    private final Optional<TlsCertificateCheck> certificate;

    private HttpDependency(CheckRegistration http, Optional<TlsCertificateCheck> certificate) {
        this.http = http;
        this.certificate = certificate;
    }

    /**
     * Starts describing the dependency {@code name} (the component of its check names, e.g.
     * {@code payments}) reached at {@code url}.
     */
    public static Builder builder(String name, URI url) {
        return new Builder(name, url);
    }

    /** The check registrations: {@code <name>:http}, then {@code <name>:certificate} for https. */
    public List<CheckRegistration> registrations() {
        List<CheckRegistration> out = new ArrayList<>();
        out.add(http);
        certificate.ifPresent(c -> out.add(c.registration()));
        return List.copyOf(out);
    }

    /**
     * Registers {@code <name>:http} and, for https, attaches the certificate check
     * ({@code <name>:certificate} with its gauge {@code opskit.tls.certificate.expiry}).
     */
    @Override
    public void attachTo(AttachContext context) {
        context.check(http);
        certificate.ifPresent(c -> c.attachTo(context));
    }

    @Override
    public String toString() {
        return "HttpDependency" + registrations().stream().map(CheckRegistration::name).toList();
    }

    /** Options of an {@link HttpDependency}; every setter validates. */
    public static final class Builder {
        private final String name;
        private final URI url;
        private TrustedCertificates trust = TrustedCertificates.jdkDefaults();
        private HttpEndpointCheck.Method method = HttpEndpointCheck.Method.GET;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration certificateInterval = DEFAULT_CERTIFICATE_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private boolean critical = true;

        private Builder(String name, URI url) {
            if (name == null || !CheckRegistration.isValidName(name + ":http")) {
                throw new IllegalArgumentException("name must be a check component (letters, digits, '.', '_', '-'), but was '"
                        + name + "': use e.g. 'payments'");
            }
            this.name = name;
            this.url = Objects.requireNonNull(url, "url must not be null: use e.g. URI.create(\"https://api.example.com/health\")");
            HttpEndpointCheck.builder(url);     // validates the URL with its own message
        }

        /** The authorities to trust for https (default: the JDK's). */
        public Builder trust(TrustedCertificates value) {
            this.trust = Objects.requireNonNull(value, "trust must not be null: use TrustedCertificates.jdkDefaults()");
            return this;
        }

        /** GET (default) or HEAD. */
        public Builder method(HttpEndpointCheck.Method value) {
            this.method = Objects.requireNonNull(value, "method must not be null: use Method.GET or Method.HEAD");
            return this;
        }

        /** Interval of the reachability check (default 10 s). */
        public Builder interval(Duration value) {
            this.interval = CertificateExpiry.positive("interval", value, "Duration.ofSeconds(10)");
            return this;
        }

        /** Interval of the certificate check (default 1 h). */
        public Builder certificateInterval(Duration value) {
            this.certificateInterval = CertificateExpiry.positive("certificateInterval", value, "Duration.ofHours(1)");
            return this;
        }

        /** Bound of one request or handshake (default 2 s); the engine's deadline is one second more. */
        public Builder timeout(Duration value) {
            this.timeout = CertificateExpiry.positive("timeout", value, "Duration.ofSeconds(2)");
            return this;
        }

        /** Whether an unreachable dependency fails readiness (default true) or only warns. */
        public Builder critical(boolean value) {
            this.critical = value;
            return this;
        }

        /** Builds the check registrations. */
        public HttpDependency build() {
            CheckRegistration http = CheckRegistration.builder(name + ":http", HttpEndpointCheck.builder(url).method(method)
                            .trust(trust).connectTimeout(timeout).requestTimeout(timeout).build())
                    .componentType("http").critical(critical).interval(interval).timeout(timeout.plus(MARGIN)).build();
            Optional<TlsCertificateCheck> certificate = "https".equalsIgnoreCase(url.getScheme())
                    ? Optional.of(TlsCertificateCheck.builder(url).name(name + ":certificate").trust(trust).timeout(timeout)
                            .interval(certificateInterval).build())
                    : Optional.empty();
            return new HttpDependency(http, certificate);
        }

        @Override
        public String toString() {
            return "HttpDependency.Builder{" + name + ", " + Redactor.redact(url.toString()) + '}';
        }
    }
}
