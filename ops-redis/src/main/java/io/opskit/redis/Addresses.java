package io.opskit.redis;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Prints socket addresses as {@code host:port}, the way operators type them. */
final class Addresses {

    private Addresses() {
    }

    static String format(SocketAddress address) {
        if (address == null) {
            return "unknown";
        }
        if (address instanceof InetSocketAddress) {
            InetSocketAddress inet = (InetSocketAddress) address;
            return inet.getHostString() + ":" + inet.getPort();
        }
        return address.toString();
    }
}
