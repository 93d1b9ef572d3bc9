package io.opskit.core.maintenance.internal;

import io.opskit.core.maintenance.ForwardedHeader;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the client's address behind trusted proxies. The one configured forwarded header is read
 * only when the direct peer is a trusted proxy; then its hops are walked from the right (nearest)
 * and the first address that is not itself a trusted proxy is the client. The other forwarded
 * header is never read: a client can write either, and only the one the proxy appends to is
 * trustworthy. A hop that is not an IP literal ({@code unknown}, an obfuscated name, garbage)
 * stops the walk: the client is then unknown, which never matches an allowlist.
 */
public final class ClientAddressResolver {

    private final List<Cidr> trustedProxies;
    private final ForwardedHeader header;

    /** A resolver believing {@code header} from {@code trustedProxies} only. */
    public ClientAddressResolver(List<Cidr> trustedProxies, ForwardedHeader header) {
        this.trustedProxies = List.copyOf(trustedProxies);
        this.header = Objects.requireNonNull(header, "header");
    }

    /** The header this resolver reads. */
    public ForwardedHeader header() {
        return header;
    }

    /**
     * The client's address bytes.
     *
     * @param peer  the direct peer's address literal
     * @param lines the lines of the configured forwarded header ({@link #header()})
     */
    public Optional<byte[]> resolve(String peer, List<String> lines) {
        Optional<byte[]> direct = IpAddresses.parse(peer);
        if (direct.isEmpty() || trustedProxies.isEmpty() || !isTrusted(direct.get())) {
            return direct;
        }
        List<String> hops = header == ForwardedHeader.FORWARDED
                ? ForwardedHeaders.forwarded(lines) : ForwardedHeaders.xForwardedFor(lines);
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
