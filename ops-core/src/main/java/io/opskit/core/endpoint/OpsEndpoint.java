package io.opskit.core.endpoint;

import java.util.Map;

/**
 * One endpoint of the operations surface, written once in plain Java and served identically by
 * every adapter (ops-servlet, {@code OpsHttpServer}) through {@link OpsSurface}. Modules contribute
 * theirs to {@link io.opskit.core.Ops#endpoints()} when wired.
 *
 * <pre>{@code
 * OpsEndpoint pool = OpsEndpoint.of("/ops/pool", Map.of("GET", Role.VIEWER),
 *         request -> OpsResponses.json(200, Map.of("active", 3)));
 * ops.endpoints().add(pool);
 * }</pre>
 *
 * <p>The surface does the rest: it answers 404 when the endpoint is not exposed, 405 with
 * {@code Allow} for a method not in {@link #methods()} (HEAD is implied by GET, TRACE is never
 * served), 401 and 403 when the caller's role is too low, and audits operator actions and
 * refusals. {@link #handle} is only called for a method it declared, by a caller whose role is
 * high enough.
 */
public interface OpsEndpoint {

    /** The path, e.g. {@code /ops/pool}: lowercase letters, digits, '-', '/'. */
    String path();

    /** Whether the endpoint also serves paths below {@link #path()} ({@code /ops/loggers/{name}}). Default false. */
    default boolean servesSubPaths() {
        return false;
    }

    /** The documented methods (upper case) and the role each needs; GET implies HEAD. */
    Map<String, Role> methods();

    /** Whether the endpoint answers unless configured otherwise (default true). */
    default boolean exposedByDefault() {
        return true;
    }

    /**
     * Whether a request of {@code method} changes state, so it is audited as an operator action.
     * Default: every method but GET and HEAD.
     */
    default boolean isAction(String method) {
        return !"GET".equals(method) && !"HEAD".equals(method);
    }

    /** Answers a request that passed the surface's checks. */
    EndpointResponse handle(OpsRequest request) throws Exception;

    /** An endpoint from its parts. */
    static OpsEndpoint of(String path, Map<String, Role> methods, Handler handler) {
        return new SimpleEndpoint(OpsEndpoints.requirePath(path), OpsEndpoints.requireMethods(path, methods),
                java.util.Objects.requireNonNull(handler, "handler of " + path + " must not be null"));
    }

    /** The body of an endpoint made by {@link #of}. */
    @FunctionalInterface
    interface Handler {
        /** Answers one request. */
        EndpointResponse handle(OpsRequest request) throws Exception;
    }
}
