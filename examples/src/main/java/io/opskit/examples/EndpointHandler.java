package io.opskit.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.opskit.core.endpoint.EndpointRequest;
import io.opskit.core.endpoint.EndpointResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One of the example's {@code /ops/*} endpoints on the management port ({@code OpsHttpServer}): the
 * same endpoint functions {@link EndpointServlet} serves on {@code PORT} when there is no management
 * port. Bodies over {@value EndpointServlet#MAX_BODY} bytes are refused with 413.
 */
final class EndpointHandler implements HttpHandler {

    private final BiFunction<EndpointRequest, byte[], EndpointResponse> endpoint;

    EndpointHandler(BiFunction<EndpointRequest, byte[], EndpointResponse> endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            byte[] body = new byte[0];
            if ("POST".equals(ex.getRequestMethod())) {
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readNBytes(EndpointServlet.MAX_BODY + 1);
                }
                if (body.length > EndpointServlet.MAX_BODY) {
                    write(ex, EndpointResponse.of(413, "application/json", Map.of("Connection", "close"),
                            ("{\"error\":\"body over " + EndpointServlet.MAX_BODY + " bytes\"}").getBytes(StandardCharsets.UTF_8)));
                    return;
                }
            }
            write(ex, endpoint.apply(view(ex), body));
        } finally {
            ex.close();
        }
    }

    private static void write(HttpExchange ex, EndpointResponse r) throws IOException {
        ex.getResponseHeaders().set("Content-Type", r.contentType());
        r.headers().forEach(ex.getResponseHeaders()::set);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(r.status(), head || r.length() == 0 ? -1 : r.length());
        if (!head && r.length() > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                r.writeTo(out);
            }
        }
    }

    private static EndpointRequest view(HttpExchange ex) {
        return new EndpointRequest() {
            @Override
            public String method() {
                return ex.getRequestMethod();
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(ex.getRequestHeaders().getFirst(name));
            }

            @Override
            public String remoteAddress() {
                return ex.getRemoteAddress().getAddress().getHostAddress();
            }
        };
    }
}
