package io.opskit.core.maintenance;

import io.opskit.core.maintenance.internal.Cidr;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How the maintenance decision treats requests while maintenance mode is on: which paths pass
 * (health and metrics by default, so probes and scrapes keep working), how operators get in
 * (a bypass secret in a header or cookie, or an allowlisted network), which proxies' forwarded
 * headers are believed, and what the 503 response looks like.
 *
 * <pre>{@code
 * MaintenanceConfig config = MaintenanceConfig.builder()
 *         .passThrough("/static/")
 *         .bypassSecret(System.getenv("OPS_MAINTENANCE_SECRET"))
 *         .allowCidrs("10.20.0.0/16")
 *         .trustedProxies("10.0.0.0/8")
 *         .build();
 * }</pre>
 */
public final class MaintenanceConfig {

    /** Prefixes that always pass unless {@link Builder#noDefaultPassThrough()}: health and metrics. */
    public static final List<String> DEFAULT_PASS_THROUGH = List.of("/health", "/metrics");
    /** Header carrying the bypass secret. */
    public static final String DEFAULT_BYPASS_HEADER = "X-Maintenance-Bypass";
    /** Cookie set by the bypass link. */
    public static final String DEFAULT_BYPASS_COOKIE = "opskit_maintenance_bypass";
    /** Query parameter of the bypass link ({@code /?maintenance-bypass=SECRET}). */
    public static final String DEFAULT_BYPASS_PARAMETER = "maintenance-bypass";
    /** How long a bypass cookie is valid after it was issued: 1 hour. */
    public static final Duration DEFAULT_BYPASS_COOKIE_MAX_AGE = Duration.ofHours(1);
    /** Longest bypass cookie lifetime accepted: 7 days. */
    public static final Duration MAX_BYPASS_COOKIE_MAX_AGE = Duration.ofDays(7);
    /** The forwarded header believed from trusted proxies: {@code X-Forwarded-For}. */
    public static final ForwardedHeader DEFAULT_FORWARDED_HEADER = ForwardedHeader.X_FORWARDED_FOR;
    /** Uses of the bypass are audited at most once per client per this interval: 1 minute. */
    public static final Duration DEFAULT_BYPASS_AUDIT_INTERVAL = Duration.ofMinutes(1);
    /** {@code Retry-After} when no expected end is known. */
    public static final Duration DEFAULT_RETRY_AFTER = Duration.ofMinutes(5);
    /** Minimum bypass secret length. */
    public static final int MIN_SECRET_LENGTH = 16;
    /** The defaults: health and metrics pass, no bypass, no allowlist, no trusted proxy. */
    public static final MaintenanceConfig DEFAULT = builder().build();

    private final List<String> passThroughPrefixes;
    private final Set<String> passThroughPaths;
    private final Optional<String> bypassSecret;
    private final String bypassHeader;
    private final String bypassCookie;
    private final String bypassParameter;
    private final Duration bypassCookieMaxAge;
    private final List<Cidr> allowCidrs;
    private final List<Cidr> trustedProxies;
    private final ForwardedHeader forwardedHeader;
    private final Duration bypassAuditInterval;
    private final Duration defaultRetryAfter;
    private final Optional<String> htmlTemplate;
    private final URI problemType;

    private MaintenanceConfig(Builder b) {
        List<String> prefixes = new ArrayList<>(b.defaults ? DEFAULT_PASS_THROUGH : List.of());
        prefixes.addAll(b.prefixes);
        this.passThroughPrefixes = List.copyOf(new LinkedHashSet<>(prefixes));
        this.passThroughPaths = Set.copyOf(b.paths);
        this.bypassSecret = b.bypassSecret;
        this.bypassHeader = b.bypassHeader;
        this.bypassCookie = b.bypassCookie;
        this.bypassParameter = b.bypassParameter;
        this.bypassCookieMaxAge = b.bypassCookieMaxAge;
        this.allowCidrs = List.copyOf(b.allowCidrs);
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.forwardedHeader = b.forwardedHeader;
        this.bypassAuditInterval = b.bypassAuditInterval;
        this.defaultRetryAfter = b.defaultRetryAfter;
        this.htmlTemplate = b.htmlTemplate;
        this.problemType = b.problemType;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether {@code path} always passes: it equals an exact pass-through path, or a prefix
     * followed by nothing, {@code /} or {@code .} ({@code /health} matches {@code /health/ready}
     * but not {@code /healthy}); a prefix ending in {@code /} matches everything below it.
     */
    public boolean passesThrough(String path) {
        if (passThroughPaths.contains(path)) {
            return true;
        }
        for (int i = 0, n = passThroughPrefixes.size(); i < n; i++) {
            String prefix = passThroughPrefixes.get(i);
            if (path.startsWith(prefix)) {
                if (path.length() == prefix.length() || prefix.endsWith("/")) {
                    return true;
                }
                char next = path.charAt(prefix.length());
                if (next == '/' || next == '.') {
                    return true;
                }
            }
        }
        return false;
    }

    /** Pass-through prefixes. */
    public List<String> passThroughPrefixes() {
        return passThroughPrefixes;
    }

    /** Exact pass-through paths. */
    public Set<String> passThroughPaths() {
        return passThroughPaths;
    }

    /** Whether a bypass secret is configured (the secret itself is never exposed). */
    public boolean hasBypassSecret() {
        return bypassSecret.isPresent();
    }

    Optional<String> bypassSecret() {
        return bypassSecret;
    }

    /** The header carrying the bypass secret. */
    public String bypassHeader() {
        return bypassHeader;
    }

    /** The bypass cookie's name. */
    public String bypassCookie() {
        return bypassCookie;
    }

    /** The bypass link's query parameter. */
    public String bypassParameter() {
        return bypassParameter;
    }

    /** How long a bypass cookie is valid after it was issued (its signed expiry and its {@code Max-Age}). */
    public Duration bypassCookieMaxAge() {
        return bypassCookieMaxAge;
    }

    /** Allowlisted client networks, as written. */
    public List<String> allowCidrs() {
        return allowCidrs.stream().map(Cidr::toString).toList();
    }

    /** Trusted proxy networks, as written. */
    public List<String> trustedProxies() {
        return trustedProxies.stream().map(Cidr::toString).toList();
    }

    /** The one forwarded header believed from trusted proxies. */
    public ForwardedHeader forwardedHeader() {
        return forwardedHeader;
    }

    /** Uses of the bypass are audited at most once per client per this interval. */
    public Duration bypassAuditInterval() {
        return bypassAuditInterval;
    }

    List<Cidr> allowCidrRanges() {
        return allowCidrs;
    }

    List<Cidr> trustedProxyRanges() {
        return trustedProxies;
    }

    /** {@code Retry-After} when no expected end is known. */
    public Duration defaultRetryAfter() {
        return defaultRetryAfter;
    }

    /** The custom HTML template, if any. */
    public Optional<String> htmlTemplate() {
        return htmlTemplate;
    }

    /** The {@code type} of the problem+json body. */
    public URI problemType() {
        return problemType;
    }

    @Override
    public String toString() {
        return "MaintenanceConfig[passThroughPrefixes=" + passThroughPrefixes + ", passThroughPaths=" + passThroughPaths
                + ", bypassSecret=" + (bypassSecret.isPresent() ? "****" : "none") + ", allowCidrs=" + allowCidrs
                + ", trustedProxies=" + trustedProxies + ", forwardedHeader=" + forwardedHeader
                + ", bypassCookieMaxAge=" + bypassCookieMaxAge + ", defaultRetryAfter=" + defaultRetryAfter + "]";
    }

    /** Builds a {@link MaintenanceConfig}; every setter validates at once. */
    public static final class Builder {
        private boolean defaults = true;
        private final List<String> prefixes = new ArrayList<>();
        private final Set<String> paths = new LinkedHashSet<>();
        private Optional<String> bypassSecret = Optional.empty();
        private String bypassHeader = DEFAULT_BYPASS_HEADER;
        private String bypassCookie = DEFAULT_BYPASS_COOKIE;
        private String bypassParameter = DEFAULT_BYPASS_PARAMETER;
        private Duration bypassCookieMaxAge = DEFAULT_BYPASS_COOKIE_MAX_AGE;
        private final List<Cidr> allowCidrs = new ArrayList<>();
        private final List<Cidr> trustedProxies = new ArrayList<>();
        private ForwardedHeader forwardedHeader = DEFAULT_FORWARDED_HEADER;
        private Duration bypassAuditInterval = DEFAULT_BYPASS_AUDIT_INTERVAL;
        private Duration defaultRetryAfter = DEFAULT_RETRY_AFTER;
        private Optional<String> htmlTemplate = Optional.empty();
        private URI problemType = URI.create("about:blank");

        private Builder() {
        }

        /** Adds path prefixes that pass while maintenance is on (besides health and metrics). */
        public Builder passThrough(String... prefixes) {
            for (String p : Objects.requireNonNull(prefixes, "prefixes")) {
                this.prefixes.add(path("passThrough", p));
            }
            return this;
        }

        /** Adds exact paths that pass while maintenance is on. */
        public Builder passThroughExact(String... paths) {
            for (String p : Objects.requireNonNull(paths, "paths")) {
                this.paths.add(path("passThroughExact", p));
            }
            return this;
        }

        /** Drops the default health and metrics pass-through (then list your probe paths yourself). */
        public Builder noDefaultPassThrough() {
            this.defaults = false;
            return this;
        }

        /**
         * The secret that lets operators in, through the bypass header, or the cookie set by
         * visiting {@code /?maintenance-bypass=SECRET}. At least 16 characters.
         */
        public Builder bypassSecret(String secret) {
            if (secret == null || secret.strip().length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("bypassSecret must be at least " + MIN_SECRET_LENGTH
                        + " characters, but was " + (secret == null ? "null" : secret.strip().length() + " characters")
                        + ": use e.g. a random 32-character token (openssl rand -hex 16)");
            }
            this.bypassSecret = Optional.of(secret.strip());
            return this;
        }

        /** The header carrying the bypass secret (default {@code X-Maintenance-Bypass}). */
        public Builder bypassHeader(String name) {
            this.bypassHeader = token("bypassHeader", name, DEFAULT_BYPASS_HEADER);
            return this;
        }

        /** The bypass cookie's name (default {@code opskit_maintenance_bypass}). */
        public Builder bypassCookie(String name) {
            this.bypassCookie = token("bypassCookie", name, DEFAULT_BYPASS_COOKIE);
            return this;
        }

        /** The bypass link's query parameter (default {@code maintenance-bypass}). */
        public Builder bypassParameter(String name) {
            this.bypassParameter = token("bypassParameter", name, DEFAULT_BYPASS_PARAMETER);
            return this;
        }

        /**
         * How long a bypass cookie is valid after the bypass link issued it: 1 minute to 7 days
         * (default 1 hour). The expiry is signed into the cookie, so a copied cookie stops working
         * then, whatever the browser does with {@code Max-Age}.
         */
        public Builder bypassCookieMaxAge(Duration maxAge) {
            this.bypassCookieMaxAge = range("bypassCookieMaxAge", maxAge, Duration.ofMinutes(1),
                    MAX_BYPASS_COOKIE_MAX_AGE, "Duration.ofHours(1)");
            return this;
        }

        /**
         * Uses of the bypass are audited as {@code ActionEvent}s at most once per client per this
         * interval: 0 (every use) to 1 day (default 1 minute).
         */
        public Builder bypassAuditInterval(Duration interval) {
            this.bypassAuditInterval = range("bypassAuditInterval", interval, Duration.ZERO, Duration.ofDays(1),
                    "Duration.ofMinutes(1)");
            return this;
        }

        /** Adds client networks that pass while maintenance is on (e.g. the office VPN). */
        public Builder allowCidrs(String... cidrs) {
            for (String c : Objects.requireNonNull(cidrs, "cidrs")) {
                allowCidrs.add(Cidr.parse("allowCidrs", c));
            }
            return this;
        }

        /**
         * Adds proxies whose {@link #forwardedHeader(ForwardedHeader) forwarded header} is
         * believed. From any other peer it is ignored, so a client cannot claim an allowlisted
         * address.
         */
        public Builder trustedProxies(String... cidrs) {
            for (String c : Objects.requireNonNull(cidrs, "cidrs")) {
                trustedProxies.add(Cidr.parse("trustedProxies", c));
            }
            return this;
        }

        /**
         * The one header your trusted proxies append the client's address to (default
         * {@link ForwardedHeader#X_FORWARDED_FOR}). The other one is never read: a client can send
         * either, and only the header the proxy writes tells the truth.
         */
        public Builder forwardedHeader(ForwardedHeader header) {
            if (header == null) {
                throw new IllegalArgumentException("forwardedHeader must be X_FORWARDED_FOR or FORWARDED, but was null:"
                        + " use the header your proxy appends to, e.g. ForwardedHeader.X_FORWARDED_FOR");
            }
            this.forwardedHeader = header;
            return this;
        }

        /** {@code Retry-After} when no expected end is known: 1 second to 1 day (default 5 minutes). */
        public Builder defaultRetryAfter(Duration retryAfter) {
            this.defaultRetryAfter = range("defaultRetryAfter", retryAfter, Duration.ofSeconds(1), Duration.ofDays(1),
                    "Duration.ofMinutes(5)");
            return this;
        }

        /**
         * A custom HTML page. Placeholders, HTML-escaped: {@code {{reason}}}, {@code {{since}}},
         * {@code {{expectedEnd}}} (ISO-8601, or empty).
         */
        public Builder htmlTemplate(String html) {
            if (html == null || html.isBlank()) {
                throw new IllegalArgumentException("htmlTemplate must not be blank, but was '" + html
                        + "': pass a page such as \"<h1>Back soon</h1><p>{{reason}}</p>\"");
            }
            this.htmlTemplate = Optional.of(html);
            return this;
        }

        /** A custom HTML page read now from a class-path resource (see {@link #htmlTemplate(String)}). */
        public Builder htmlTemplateResource(String resource) {
            Objects.requireNonNull(resource, "resource");
            String name = resource.startsWith("/") ? resource.substring(1) : resource;
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = MaintenanceConfig.class.getClassLoader();
            }
            try (InputStream in = loader.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IllegalArgumentException("htmlTemplateResource must name a class-path resource, but '"
                            + resource + "' was not found: put it under src/main/resources, e.g. 'maintenance.html'");
                }
                return htmlTemplate(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalArgumentException("htmlTemplateResource '" + resource + "' could not be read: " + e, e);
            }
        }

        /** The {@code type} URI of the problem+json body (default {@code about:blank}). */
        public Builder problemType(URI type) {
            this.problemType = Objects.requireNonNull(type, "type");
            return this;
        }

        /** The config. */
        public MaintenanceConfig build() {
            return new MaintenanceConfig(this);
        }

        private static String path(String field, String p) {
            if (p == null || !p.startsWith("/") || p.chars().anyMatch(c -> c <= ' ' || c == '?' || c == '#')) {
                throw new IllegalArgumentException(field + " must be a path starting with '/' without query or spaces,"
                        + " but was '" + p + "': use e.g. \"/static/\"");
            }
            return p;
        }

        private static String token(String field, String name, String example) {
            if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}")) {
                throw new IllegalArgumentException(field + " must be an HTTP token (letters, digits, -_.), but was '"
                        + name + "': use e.g. \"" + example + "\"");
            }
            return name;
        }

        private static Duration range(String field, Duration d, Duration min, Duration max, String example) {
            Objects.requireNonNull(d, field);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(field + " must be between " + min + " and " + max + ", but was " + d
                        + ": use e.g. " + example);
            }
            return d;
        }
    }
}
