package io.opskit.core.maintenance.internal;

import java.util.List;
import java.util.Optional;

/**
 * Finds the client's address behind trusted proxies. Forwarded headers are read only when the
 * direct peer is a trusted proxy; then the hops are walked from the right (nearest) and the
 * first address that is not itself a trusted proxy is the client. A hop that is not an IP
 * literal ({@code unknown}, an obfuscated name, garbage) stops the walk: the client is then
 * unknown, which never matches an allowlist.
 */
public final class ClientAddressResolver {

    private final List<Cidr> trustedProxies;

    /** A resolver believing forwarded headers from {@code trustedProxies} only. */
    public ClientAddressResolver(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /**
     * The client's address bytes.
     *
     * @param peer      the direct peer's address literal
     * @param forwarded the {@code Forwarded} header lines (preferred when present)
     * @param xff       the {@code X-Forwarded-For} header lines
     */
    public Optional<byte[]> resolve(String peer, List<String> forwarded, List<String> xff) {
        Optional<byte[]> direct = IpAddresses.parse(peer);
        if (direct.isEmpty() || trustedProxies.isEmpty() || !isTrusted(direct.get())) {
            return direct;
        }
        List<String> hops = !forwarded.isEmpty() ? ForwardedHeaders.forwarded(forwarded) : ForwardedHeaders.xForwardedFor(xff);
        byte[] client = direct.get();
        for (int i = hops.size() - 1; i >= 0; i--) {
            Optional<byte[]> hop = IpAddresses.parse(hops.get(i));
            if (hop.isEmpty()) {
                return Optional.empty();
            }
            client = hop.get();
            if (!isTrusted(client)) {
                return hop;
            }
        }
        return Optional.of(client);
    }

    private boolean isTrusted(byte[] address) {
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
