package io.opskit.core.maintenance.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The value of the maintenance bypass cookie: {@code EXPIRY.MAC}, where {@code EXPIRY} is the
 * expiry in epoch seconds and {@code MAC} the hex HMAC-SHA256, under the bypass secret, of a fixed
 * purpose and the expiry. The cookie never holds the secret, a stolen one stops working at its
 * expiry (not only when the secret rotates), and a client cannot move its expiry without the
 * secret. Expiry is wall-clock time on purpose: every instance of a fleet sharing the secret
 * accepts the cookie another one issued, and it survives a restart.
 */
public final class BypassCookie {

    /** Changing the format or the purpose changes this, so older cookies are refused, never misread. */
    private static final String PURPOSE = "opskit-maintenance-bypass:v2|";
    private static final int MAC_HEX_LENGTH = 64;
    private static final int MAX_EXPIRY_DIGITS = 12;
    /** Clocks of a fleet disagree a little: a cookie may expire up to this much later than a fresh one would. */
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final SecretKeySpec key;
    private final Duration lifetime;

    /** Cookies signed with {@code secret}, each valid for {@code lifetime} from issue. */
    public BypassCookie(String secret, Duration lifetime) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.lifetime = lifetime;
    }

    /** A cookie value issued at {@code now}, valid for the lifetime. */
    public String issue(Instant now) {
        long expiry = now.plus(lifetime).getEpochSecond();
        return expiry + "." + HexFormat.of().formatHex(mac(expiry));
    }

    /**
     * Whether {@code value} is a cookie this secret signed that has not expired at {@code now}.
     * Malformed, forged, expired and far-future values are all refused; the MAC is compared in
     * constant time.
     */
    public boolean verify(String value, Instant now) {
        int dot = value.indexOf('.');
        if (dot < 1 || dot > MAX_EXPIRY_DIGITS || value.length() != dot + 1 + MAC_HEX_LENGTH) {
            return false;
        }
        long expiry = 0;
        for (int i = 0; i < dot; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            expiry = expiry * 10 + (c - '0');
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(value, dot + 1, value.length());
        } catch (IllegalArgumentException e) {
            return false;
        }
        // check the MAC before the time, so a forged value learns nothing from how fast it was refused
        boolean signed = MessageDigest.isEqual(mac(expiry), presented);
        long nowSeconds = now.getEpochSecond();
        boolean current = expiry > nowSeconds
                && expiry <= nowSeconds + lifetime.getSeconds() + CLOCK_SKEW.getSeconds();
        return signed && current;
    }

    private byte[] mac(long expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256"); // a Mac is not thread-safe; making one is cheap
            mac.init(key);
            return mac.doFinal((PURPOSE + expiry).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }
}
