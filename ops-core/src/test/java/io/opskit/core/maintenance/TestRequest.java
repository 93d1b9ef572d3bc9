package io.opskit.core.maintenance;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A plain request for decision tests. */
final class TestRequest implements MaintenanceRequest {
    private String path = "/api/items";
    private String uri;
    private String query;
    private String peer = "203.0.113.7";
    private boolean secure;
    private final Map<String, List<String>> headers = new HashMap<>();
    private final Map<String, String> cookies = new HashMap<>();

    static TestRequest get(String path) {
        TestRequest r = new TestRequest();
        r.path = path;
        return r;
    }

    TestRequest header(String name, String... values) {
        headers.put(name.toLowerCase(), List.of(values));
        return this;
    }

    TestRequest cookie(String name, String value) {
        cookies.put(name, value);
        return this;
    }

    TestRequest query(String query) {
        this.query = query;
        return this;
    }

    TestRequest uri(String uri) {
        this.uri = uri;
        return this;
    }

    TestRequest overTls() {
        this.secure = true;
        return this;
    }

    TestRequest from(String peer) {
        this.peer = peer;
        return this;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String requestUri() {
        return uri == null ? path : uri;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public Optional<String> header(String name) {
        return headerValues(name).stream().findFirst();
    }

    @Override
    public List<String> headerValues(String name) {
        return headers.getOrDefault(name.toLowerCase(), List.of());
    }

    @Override
    public Optional<String> cookie(String name) {
        return Optional.ofNullable(cookies.get(name));
    }

    @Override
    public Optional<String> queryString() {
        return Optional.ofNullable(query);
    }

    @Override
    public String remoteAddress() {
        return peer;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }
}
