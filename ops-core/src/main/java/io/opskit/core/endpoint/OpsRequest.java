package io.opskit.core.endpoint;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A request as an {@link OpsEndpoint} sees it: the adapter's request, who made it, the path below
 * the endpoint's own, the parsed query, the body (already read, within the limit) and what the
 * caller may see.
 */
public final class OpsRequest {

    private final EndpointRequest request;
    private final Caller caller;
    private final String subPath;
    private final Map<String, List<String>> query;
    private final byte[] body;
    private final boolean showComponents;
    private final boolean showDetails;

    OpsRequest(EndpointRequest request, Caller caller, String subPath, Map<String, List<String>> query, byte[] body,
               boolean showComponents, boolean showDetails) {
        this.request = request;
        this.caller = caller;
        this.subPath = subPath;
        this.query = query;
        this.body = body;
        this.showComponents = showComponents;
        this.showDetails = showDetails;
    }

    /** A request for tests and for endpoints that call each other. */
    public static OpsRequest of(EndpointRequest request, Caller caller, String subPath, Map<String, List<String>> query,
                                byte[] body, boolean showComponents, boolean showDetails) {
        return new OpsRequest(Objects.requireNonNull(request, "request"), Objects.requireNonNull(caller, "caller"),
                Objects.requireNonNull(subPath, "subPath"), Map.copyOf(query), body.clone(), showComponents, showDetails);
    }

    /** The HTTP method, upper case. */
    public String method() {
        return request.method();
    }

    /** The adapter's request (headers, address). */
    public EndpointRequest request() {
        return request;
    }

    /** A request header. */
    public Optional<String> header(String name) {
        return request.header(name);
    }

    /** Who made the request. */
    public Caller caller() {
        return caller;
    }

    /** The path below the endpoint's path without leading slash ({@code ""} for the endpoint itself). */
    public String subPath() {
        return subPath;
    }

    /** The decoded query parameters; a parameter without value ({@code ?verbose}) has the value {@code ""}. */
    public Map<String, List<String>> query() {
        return query;
    }

    /** The first value of a query parameter. */
    public Optional<String> param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** The body (empty for GET and HEAD). */
    public byte[] body() {
        return body.clone();
    }

    /** Whether the caller may see check names. */
    public boolean showComponents() {
        return showComponents;
    }

    /** Whether the caller may see details and outputs. */
    public boolean showDetails() {
        return showDetails;
    }
}
