package io.opskit.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Test support: real Spring Boot applications on embedded Tomcat, and a plain HTTP client onto them. */
final class TestApps {

    static final String NO_DATABASE = BootLine.NO_DATABASE;
    static final String NO_REDIS = BootLine.NO_REDIS;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private TestApps() {
    }

    /** Starts {@code sources} on a free port with {@code properties} ({@code key=value}). */
    static ConfigurableApplicationContext start(Class<?>[] sources, String... properties) {
        return run(WebApplicationType.SERVLET, "health,prometheus", sources, properties);
    }

    /** Starts {@code sources} as a reactive (WebFlux) application on a free port, like {@link #start}. */
    static ConfigurableApplicationContext startReactive(Class<?>[] sources, String... properties) {
        return run(WebApplicationType.REACTIVE, "health", sources, properties);
    }

    private static ConfigurableApplicationContext run(WebApplicationType type, String exposed, Class<?>[] sources,
                                                      String... properties) {
        List<String> all = new ArrayList<>(List.of("server.port=0", "spring.main.banner-mode=off",
                "management.endpoints.web.exposure.include=" + exposed,
                "management.endpoint.health.show-details=always"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(sources).web(type).properties(all.toArray(String[]::new)).run();
    }

    static int port(ConfigurableApplicationContext context) {
        return BootLine.port(context);
    }

    /** GET {@code path}, waiting at most {@code timeout} for the whole answer. */
    static HttpResponse<String> get(ConfigurableApplicationContext context, String path, Duration timeout) {
        return get(port(context), path, timeout);
    }

    static HttpResponse<String> get(int port, String path, Duration timeout) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code method} {@code path} with {@code body} (JSON; none when null) and {@code headers}
     * ({@code name, value, ...}), answered as bytes within 30 seconds.
     */
    static HttpResponse<byte[]> send(int port, String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The management port of {@code context} when Actuator runs on its own ({@code management.server.port}). */
    static int managementPort(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.management.port", "-1"));
    }

    static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
