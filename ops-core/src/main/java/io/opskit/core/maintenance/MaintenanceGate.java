package io.opskit.core.maintenance;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.noop.NoopCounter;
import io.opskit.core.OpsEvents;
import io.opskit.core.Ticker;
import io.opskit.core.maintenance.internal.AcceptHeader;
import io.opskit.core.maintenance.internal.BypassAudit;
import io.opskit.core.maintenance.internal.BypassCookie;
import io.opskit.core.maintenance.internal.Cidr;
import io.opskit.core.maintenance.internal.ClientAddressResolver;
import io.opskit.core.maintenance.internal.MaintenancePages;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The maintenance decision, in plain Java so every adapter stays a thin translation: given a
 * request, let it through or answer 503 (HTML for browsers, {@code application/problem+json}
 * per RFC 9457 otherwise) with {@code Retry-After} and {@code Cache-Control: no-store}.
 *
 * <p>While maintenance is on, a request passes when its path is a pass-through path (health and
 * metrics by default), when it carries the bypass secret in the bypass header or the bypass
 * cookie, or when its client address lies in an allowlisted network. Visiting any page with
 * {@code ?maintenance-bypass=SECRET} sets the cookie and redirects to the same page without the
 * secret in its URL. The cookie holds a signed expiry ({@link MaintenanceConfig#bypassCookieMaxAge()},
 * 1 hour by default), never the secret; it is {@code HttpOnly}, {@code SameSite=Lax}, and
 * {@code Secure} when the request came over TLS. Secrets and cookies are compared in constant
 * time. While maintenance is off, {@link #decide} is one volatile read.
 *
 * <p>Built with a {@link MeterRegistry} ({@link #builder}), the gate counts refused requests in
 * {@value #REFUSED_METRIC} and bypasses in {@value #BYPASSED_METRIC} (tag {@code by}); built with
 * {@link OpsEvents}, it audits each use of the bypass as an {@code ActionEvent}
 * ({@code maintenance bypass}: client address, and by header, cookie, link or allowlist), at most
 * once per client per {@link MaintenanceConfig#bypassAuditInterval()}.
 */
public final class MaintenanceGate {

    /** Counter of requests answered 503 because maintenance is on. */
    public static final String REFUSED_METRIC = "opskit.maintenance.refused";
    /** Counter of requests let in by the bypass while maintenance is on, tagged {@code by}. */
    public static final String BYPASSED_METRIC = "opskit.maintenance.bypassed";

    private static final int MAX_AUDITED_PATH = 200;
    private static final String BY_HEADER = "header";
    private static final String BY_COOKIE = "cookie";
    private static final String BY_LINK = "link";
    private static final String BY_ALLOWLIST = "allowlist";
    private static final List<String> BYPASS_KINDS = List.of(BY_HEADER, BY_COOKIE, BY_LINK, BY_ALLOWLIST);

    private final MaintenanceMode mode;
    private final MaintenanceConfig config;
    private final ClientAddressResolver resolver;
    private final MaintenancePages pages;
    private final byte[] secretDigest;
    private final BypassCookie cookies;
    private final BypassAudit audit;
    private final Counter refused;
    private final Map<String, Counter> bypassed;

    private MaintenanceGate(Builder b) {
        this.mode = b.mode;
        this.config = b.config;
        this.resolver = new ClientAddressResolver(config.trustedProxyRanges(), config.forwardedHeader());
        this.pages = new MaintenancePages(config.htmlTemplate(), config.problemType());
        Optional<String> secret = config.bypassSecret();
        this.secretDigest = secret.map(MaintenanceGate::sha256).orElse(null);
        this.cookies = secret.map(s -> new BypassCookie(s, config.bypassCookieMaxAge())).orElse(null);
        this.audit = new BypassAudit(b.events, mode.clock(), b.ticker, config.bypassAuditInterval());
        MeterRegistry registry = b.meterRegistry;
        Counter.Builder refusedMeter = Counter.builder(REFUSED_METRIC).baseUnit("requests")
                .description("Requests answered 503 because maintenance mode is on");
        // without a registry, no-op counters: the decision path stays free of null checks
        this.refused = registry == null ? new NoopCounter(new Meter.Id(REFUSED_METRIC, Tags.empty(), null, null,
                Meter.Type.COUNTER)) : refusedMeter.register(registry);
        Map<String, Counter> byKind = new LinkedHashMap<>();
        for (String by : BYPASS_KINDS) {
            byKind.put(by, registry == null
                    ? new NoopCounter(new Meter.Id(BYPASSED_METRIC, Tags.of("by", by), null, null, Meter.Type.COUNTER))
                    : Counter.builder(BYPASSED_METRIC).baseUnit("requests").tag("by", by)
                            .description("Requests let in by the maintenance bypass while maintenance mode is on")
                            .register(registry));
        }
        this.bypassed = Map.copyOf(byKind);
    }

    /** A gate over {@code mode} with {@code config}, counting and auditing nothing. */
    public static MaintenanceGate create(MaintenanceMode mode, MaintenanceConfig config) {
        return builder(mode, config).build();
    }

    /** A builder of a gate over {@code mode} with {@code config}, to add metrics and auditing. */
    public static Builder builder(MaintenanceMode mode, MaintenanceConfig config) {
        return new Builder(Objects.requireNonNull(mode, "mode"), Objects.requireNonNull(config, "config"));
    }

    /** The maintenance mode this gate reads. */
    public MaintenanceMode mode() {
        return mode;
    }

    /** The config. */
    public MaintenanceConfig config() {
        return config;
    }

    /** Decides what to do with {@code request}. */
    public MaintenanceDecision decide(MaintenanceRequest request) {
        MaintenanceState state = mode.state();
        if (!state.enabled() || config.passesThrough(request.path())) {
            return MaintenanceDecision.PASS;
        }
        if (secretDigest != null) {
            Optional<String> header = request.header(config.bypassHeader());
            if (header.isPresent() && secretMatches(header.get())) {
                return bypassed(BY_HEADER, request, MaintenanceDecision.PASS);
            }
            Optional<String> cookie = request.cookie(config.bypassCookie());
            if (cookie.isPresent() && cookies.verify(cookie.get(), mode.clock().instant())) {
                return bypassed(BY_COOKIE, request, MaintenanceDecision.PASS);
            }
            Optional<MaintenanceDecision> link = bypassLink(request);
            if (link.isPresent()) {
                return bypassed(BY_LINK, request, link.get());
            }
        }
        if (!config.allowCidrRanges().isEmpty() && isAllowlisted(resolve(request))) {
            return bypassed(BY_ALLOWLIST, request, MaintenanceDecision.PASS);
        }
        refused.increment();
        return block(state, request);
    }

    /**
     * The client's address as this gate sees it (forwarded headers believed only from trusted
     * proxies), as an IP literal; empty when it cannot be known.
     */
    public Optional<String> clientAddress(MaintenanceRequest request) {
        return resolve(request).map(MaintenanceGate::format);
    }

    private MaintenanceDecision bypassed(String by, MaintenanceRequest request, MaintenanceDecision decision) {
        bypassed.get(by).increment();
        // who: the address the allowlist would judge; when that is unknown, the direct peer, marked as such
        String client = clientAddress(request).orElseGet(() -> "unknown (peer " + request.remoteAddress() + ")");
        String path = request.path();
        audit.record(client, by, request.method(),
                path.length() > MAX_AUDITED_PATH ? path.substring(0, MAX_AUDITED_PATH) + "…" : path);
        return decision;
    }

    private boolean isAllowlisted(Optional<byte[]> client) {
        if (client.isEmpty()) {
            return false;
        }
        for (Cidr cidr : config.allowCidrRanges()) {
            if (cidr.contains(client.get())) {
                return true;
            }
        }
        return false;
    }

    private Optional<byte[]> resolve(MaintenanceRequest request) {
        return resolver.resolve(request.remoteAddress(), request.headerValues(config.forwardedHeader().headerName()));
    }

    private MaintenanceDecision block(MaintenanceState state, MaintenanceRequest request) {
        long retryAfter = state.retryAfterSeconds(mode.clock().instant())
                .orElse(config.defaultRetryAfter().getSeconds());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Retry-After", Long.toString(retryAfter));
        headers.put("Cache-Control", "no-store");
        headers.put("Vary", "Accept");
        boolean html = AcceptHeader.prefersHtml(request.header("Accept").orElse(null));
        return new MaintenanceDecision(MaintenanceDecision.Action.BLOCK, 503, Map.copyOf(headers),
                Optional.of(html ? "text/html;charset=UTF-8" : "application/problem+json"),
                html ? pages.html(state) : pages.problemJson(state));
    }

    private Optional<MaintenanceDecision> bypassLink(MaintenanceRequest request) {
        Optional<String> query = request.queryString();
        if (query.isEmpty() || !query.get().contains(config.bypassParameter())) {
            return Optional.empty();
        }
        StringBuilder remaining = new StringBuilder();
        boolean matched = false;
        for (String pair : query.get().split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(config.bypassParameter())) {
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                matched |= secretMatches(value);
            } else if (!pair.isEmpty()) {
                remaining.append(remaining.length() == 0 ? "" : "&").append(pair);
            }
        }
        if (!matched) {
            return Optional.empty();
        }
        String uri = request.requestUri();
        // same-origin paths only: "//host" or "/\\host" would redirect the browser to another site
        if (uri.isEmpty() || uri.charAt(0) != '/' || uri.length() > 1 && (uri.charAt(1) == '/' || uri.charAt(1) == '\\')
                || uri.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            uri = "/";
        }
        String cookie = config.bypassCookie() + "=" + cookies.issue(mode.clock().instant()) + "; Path=/; Max-Age="
                + config.bypassCookieMaxAge().getSeconds() + "; HttpOnly; SameSite=Lax"
                + (request.isSecure() ? "; Secure" : "");
        Map<String, String> headers = Map.of(
                "Location", remaining.length() == 0 ? uri : uri + "?" + remaining,
                "Set-Cookie", cookie,
                "Cache-Control", "no-store");
        return Optional.of(new MaintenanceDecision(MaintenanceDecision.Action.REDIRECT, 303, headers, Optional.empty(),
                new byte[0]));
    }

    private boolean secretMatches(String presented) {
        // comparing digests keeps the comparison constant-time and hides the secret's length
        return MessageDigest.isEqual(secretDigest, sha256(presented.strip()));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress(); // bytes only: no lookup
        } catch (UnknownHostException e) {
            return "";
        }
    }

    /** Builds a {@link MaintenanceGate}: metrics and auditing are optional. */
    public static final class Builder {
        private final MaintenanceMode mode;
        private final MaintenanceConfig config;
        private MeterRegistry meterRegistry;
        private OpsEvents events = OpsEvents.NOOP;
        private Ticker ticker = Ticker.SYSTEM;

        private Builder(MaintenanceMode mode, MaintenanceConfig config) {
            this.mode = mode;
            this.config = config;
        }

        /**
         * Counts refused requests ({@value MaintenanceGate#REFUSED_METRIC}) and bypasses
         * ({@value MaintenanceGate#BYPASSED_METRIC}) in {@code registry}; default: nowhere.
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /** Audits uses of the bypass here (e.g. {@code ops.events()}); default: nowhere. */
        public Builder events(OpsEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** The monotonic time of the audit rate limit (default {@link Ticker#SYSTEM}); tests pass their own. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The gate. */
        public MaintenanceGate build() {
            return new MaintenanceGate(this);
        }
    }
}
