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
    /** The SNI host names clients sent, in order. */
    final List<String> serverNames = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Starts an HTTPS server on a free loopback port presenting {@code issued}; returns the port. */
    int start(TestCertificates.Issued issued) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(issued.serverContext()) {
            @Override
            public void configure(com.sun.net.httpserver.HttpsParameters params) {
                javax.net.ssl.SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setSNIMatchers(List.of(new javax.net.ssl.SNIMatcher(javax.net.ssl.StandardConstants.SNI_HOST_NAME) {
                    @Override
                    public boolean matches(javax.net.ssl.SNIServerName name) {
                        serverNames.add(new String(name.getEncoded(), java.nio.charset.StandardCharsets.US_ASCII));
                        return true;
                    }
                }));
                params.setSSLParameters(p);
            }
        });
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
