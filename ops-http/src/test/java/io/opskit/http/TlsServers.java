package io.opskit.http;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** Local HTTPS servers presenting chosen certificates; closed together. */
final class TlsServers implements AutoCloseable {

    private final List<HttpsServer> servers = new ArrayList<>();

    /** Starts an HTTPS server on a free loopback port presenting {@code issued}; returns the port. */
    int start(TestCertificates.Issued issued) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(issued.serverContext()));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }
}
