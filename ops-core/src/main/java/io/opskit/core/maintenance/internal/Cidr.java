package io.opskit.core.maintenance.internal;

import java.util.Arrays;

/** An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address). */
public final class Cidr {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * Parses {@code text}.
     *
     * @param field the configuration field, for the error message
     * @throws IllegalArgumentException naming the field, the value and the fix
     */
    public static Cidr parse(String field, String text) {
        if (text == null) {
            throw new IllegalArgumentException(field + " must be a CIDR like 10.0.0.0/8 or 2001:db8::/32, but was null");
        }
        String s = text.strip();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = IpAddresses.parse(address).orElseThrow(() -> new IllegalArgumentException(field
                + " must be a CIDR like 10.0.0.0/8 or 2001:db8::/32, but was '" + text
                + "': use an IP address literal (host names are not resolved)"));
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException(field + " must have a prefix length between 0 and " + max
                        + ", but was '" + text + "': use e.g. " + address + "/" + max);
            }
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes)) {
            throw new IllegalArgumentException(field + " has host bits set after the prefix, but was '" + text
                    + "': did you mean a network address such as a.b.c.0/24 for a /24?");
        }
        return new Cidr(masked, prefix, s);
    }

    /** Whether {@code address} (4 or 16 bytes) lies in this network; IPv4 never matches an IPv6 network. */
    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int maskBits = (0xFF << (8 - rest)) & 0xFF;
        return (address[full] & maskBits) == (network[full] & maskBits);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            int m = bitsHere == 0 ? 0 : (0xFF << (8 - bitsHere)) & 0xFF;
            out[i] = (byte) (out[i] & m);
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
