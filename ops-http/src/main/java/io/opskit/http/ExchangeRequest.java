package io.opskit.http;

import com.sun.net.httpserver.HttpExchange;
import io.opskit.core.endpoint.EndpointRequest;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/** The shared endpoints' view of one {@link HttpExchange}. */
final class ExchangeRequest implements EndpointRequest {

    private final HttpExchange exchange;

    ExchangeRequest(HttpExchange exchange) {
        this.exchange = exchange;
    }

    @Override
    public String method() {
        return exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(exchange.getRequestHeaders().getFirst(name));
    }

    @Override
    public String remoteAddress() {
        InetSocketAddress remote = exchange.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "" : remote.getAddress().getHostAddress();
    }

    @Override
    public String path() {
        String p = exchange.getRequestURI().getPath();
        return p == null ? "" : p;
    }

    @Override
    public String query() {
        String q = exchange.getRequestURI().getRawQuery();
        return q == null ? "" : q;
    }

    @Override
    public InputStream body() {
        return exchange.getRequestBody();
    }
}
