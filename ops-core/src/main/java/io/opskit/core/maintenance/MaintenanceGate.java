package io.opskit.core.maintenance;

import io.opskit.core.maintenance.internal.AcceptHeader;
import io.opskit.core.maintenance.internal.Cidr;
import io.opskit.core.maintenance.internal.ClientAddressResolver;
import io.opskit.core.maintenance.internal.MaintenancePages;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The maintenance decision, in plain Java so every adapter stays a thin translation: given a
 * request, let it through or answer 503 (HTML for browsers, {@code application/problem+json}
 * per RFC 9457 otherwise) with {@code Retry-After} and {@code Cache-Control: no-store}.
 *
 * <p>While maintenance is on, a request passes when its path is a pass-through path (health and
 * metrics by default), when it carries the bypass secret in the bypass header or the bypass
 * cookie (compared in constant time), or when its client address lies in an allowlisted network.
 * Visiting any page with {@code ?maintenance-bypass=SECRET} sets the cookie and redirects to the
 * same page without the secret in its URL. While maintenance is off, {@link #decide} is one
 * volatile read.
 */
public final class MaintenanceGate {

    private static final String COOKIE_PURPOSE = "opskit-maintenance-bypass:v1";

    private final MaintenanceMode mode;
    private final MaintenanceConfig config;
    private final ClientAddressResolver resolver;
    private final MaintenancePages pages;
    private final byte[] secretDigest;
    private final byte[] cookieToken;
    private final String cookieTokenText;

    private MaintenanceGate(MaintenanceMode mode, MaintenanceConfig config) {
        this.mode = mode;
        this.config = config;
        this.resolver = new ClientAddressResolver(config.trustedProxyRanges());
        this.pages = new MaintenancePages(config.htmlTemplate(), config.problemType());
        Optional<String> secret = config.bypassSecret();
        this.secretDigest = secret.map(MaintenanceGate::sha256).orElse(null);
        this.cookieTokenText = secret.map(MaintenanceGate::cookieValue).orElse(null);
        this.cookieToken = cookieTokenText == null ? null : cookieTokenText.getBytes(StandardCharsets.US_ASCII);
    }

    /** A gate over {@code mode} with {@code config}. */
    public static MaintenanceGate create(MaintenanceMode mode, MaintenanceConfig config) {
        return new MaintenanceGate(Objects.requireNonNull(mode, "mode"), Objects.requireNonNull(config, "config"));
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
                return MaintenanceDecision.PASS;
            }
            Optional<String> cookie = request.cookie(config.bypassCookie());
            if (cookie.isPresent() && MessageDigest.isEqual(cookieToken, cookie.get().getBytes(StandardCharsets.UTF_8))) {
                return MaintenanceDecision.PASS;
            }
            Optional<MaintenanceDecision> link = bypassLink(request);
            if (link.isPresent()) {
                return link.get();
            }
        }
        if (isAllowlisted(request)) {
            return MaintenanceDecision.PASS;
        }
        return block(state, request);
    }

    /**
     * The client's address as this gate sees it (forwarded headers believed only from trusted
     * proxies), as an IP literal; empty when it cannot be known.
     */
    public Optional<String> clientAddress(MaintenanceRequest request) {
        return resolve(request).map(MaintenanceGate::format);
    }

    private boolean isAllowlisted(MaintenanceRequest request) {
        List<Cidr> allow = config.allowCidrRanges();
        if (allow.isEmpty()) {
            return false;
        }
        Optional<byte[]> client = resolve(request);
        if (client.isEmpty()) {
            return false;
        }
        for (Cidr cidr : allow) {
            if (cidr.contains(client.get())) {
                return true;
            }
        }
        return false;
    }

    private Optional<byte[]> resolve(MaintenanceRequest request) {
        return resolver.resolve(request.remoteAddress(), request.headerValues("Forwarded"),
                request.headerValues("X-Forwarded-For"));
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
        String cookie = config.bypassCookie() + "=" + cookieTokenText + "; Path=/; Max-Age="
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

    /** The cookie holds an HMAC of a fixed purpose under the secret, never the secret itself. */
    private static String cookieValue(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(COOKIE_PURPOSE.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    private static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress(); // bytes only: no lookup
        } catch (UnknownHostException e) {
            return "";
        }
    }
}
