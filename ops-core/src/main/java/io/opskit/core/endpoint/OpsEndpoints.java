package io.opskit.core.endpoint;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The endpoints modules contribute to an {@link io.opskit.core.Ops} ({@code ops.endpoints()}):
 * ops-jdbc its slow queries, leaks and pool, ops-redis its maintenance store. Every adapter's
 * {@link OpsSurface} serves what is here at request time, so an endpoint added after the server
 * started is served at once.
 */
public final class OpsEndpoints {

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");
    // one immutable list, replaced on every change: a request reads it without copying
    private volatile List<OpsEndpoint> endpoints = List.of();

    /** An empty registry. */
    public OpsEndpoints() {
    }

    /**
     * Adds an endpoint.
     *
     * @return a handle that removes it again when closed
     * @throws IllegalArgumentException when its path is taken
     */
    public synchronized AutoCloseable add(OpsEndpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        requirePath(endpoint.path());
        requireMethods(endpoint.path(), endpoint.methods());
        for (OpsEndpoint e : endpoints) {
            if (e.path().equals(endpoint.path())) {
                throw new IllegalArgumentException("an endpoint at " + endpoint.path() + " is already registered: "
                        + "each path has one endpoint, choose another path or remove the first");
            }
        }
        List<OpsEndpoint> more = new ArrayList<>(endpoints);
        more.add(endpoint);
        endpoints = List.copyOf(more);
        return () -> remove(endpoint);
    }

    private synchronized void remove(OpsEndpoint endpoint) {
        List<OpsEndpoint> fewer = new ArrayList<>(endpoints);
        if (fewer.remove(endpoint)) {
            endpoints = List.copyOf(fewer);
        }
    }

    /** The endpoints, in the order added: an immutable list, the same instance until the next change. */
    public List<OpsEndpoint> list() {
        return endpoints;
    }

    static String requirePath(String path) {
        if (path == null || !path.matches("(/[a-z0-9][a-z0-9._-]*)+")) {
            throw new IllegalArgumentException("endpoint path must be like /ops/pool (lowercase segments of letters, digits, "
                    + "'.', '_', '-'; no trailing slash), but was '" + path + "'");
        }
        return path;
    }

    static Map<String, Role> requireMethods(String path, Map<String, Role> methods) {
        if (methods == null || methods.isEmpty()) {
            throw new IllegalArgumentException("endpoint " + path + " must declare at least one method, but declared "
                    + methods + ": e.g. Map.of(\"GET\", Role.VIEWER)");
        }
        for (Map.Entry<String, Role> m : methods.entrySet()) {
            if (!METHODS.contains(m.getKey()) || m.getValue() == null) {
                throw new IllegalArgumentException("endpoint " + path + " declares method " + m.getKey() + " with role "
                        + m.getValue() + ": methods must be one of " + METHODS + " (HEAD follows GET, TRACE is never served)"
                        + " with a role");
            }
        }
        return Map.copyOf(methods);
    }
}
