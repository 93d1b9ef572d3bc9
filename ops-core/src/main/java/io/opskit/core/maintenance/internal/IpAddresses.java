package io.opskit.core.maintenance.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Parses IP address literals without ever asking DNS: the strings come from request headers an
 * attacker controls, and {@code InetAddress.getByName("evil.example")} would resolve a name.
 */
public final class IpAddresses {

    private IpAddresses() {
    }

    /**
     * The 4 or 16 bytes of an IPv4 or IPv6 literal (brackets, an IPv6 zone and an IPv4-mapped
     * IPv6 form accepted; IPv4-mapped addresses come back as 4 bytes); empty for anything else.
     */
    public static Optional<byte[]> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 64) {
            return Optional.empty();
        }
        if (s.indexOf(':') < 0) {
            return parseIpv4(s);
        }
        int zone = s.indexOf('%');
        if (zone >= 0) {
            s = s.substring(0, zone);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.';
            if (!ok) {
                return Optional.empty();
            }
        }
        try {
            // the brackets make the JDK treat it as an IPv6 literal only: it throws instead of resolving
            return Optional.of(InetAddress.getByName("[" + s + "]").getAddress());
        } catch (UnknownHostException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<byte[]> parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i == s.length() ? '.' : s.charAt(i);
            if (c == '.') {
                if (value < 0 || part > 3) {
                    return Optional.empty();
                }
                out[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return Optional.empty();
                }
            } else {
                return Optional.empty();
            }
        }
        return part == 4 ? Optional.of(out) : Optional.empty();
    }
}
