package io.opskit.core.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery: header {@value #HEADER} with value
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">} keyed by the shared secret.
 * The timestamp inside the signed text lets a receiver refuse replays; {@link #verify} does both
 * checks, comparing in constant time.
 */
public final class WebhookSignature {

    /** The request header that carries the signature. */
    public static final String HEADER = "X-Opskit-Signature";

    private WebhookSignature() {
    }

    /** The header value for {@code body} sent at {@code time}. */
    public static String sign(byte[] secret, Instant time, byte[] body) {
        long t = time.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, t, body));
    }

    /**
     * Whether {@code header} is a valid signature of {@code body} made with {@code secret} no
     * longer than {@code tolerance} from {@code now}.
     */
    public static boolean verify(byte[] secret, String header, byte[] body, Instant now, Duration tolerance) {
        if (header == null) {
            return false;
        }
        long t = -1;
        byte[] given = null;
        for (String part : header.split(",")) {
            try {
                if (part.startsWith("t=")) {
                    t = Long.parseLong(part.substring(2));
                } else if (part.startsWith("v1=")) {
                    given = HexFormat.of().parseHex(part.substring(3));
                }
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (t < 0 || given == null || Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(hmac(secret, t, body), given);
    }

    private static byte[] hmac(byte[] secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }
}
