package io.opskit.core.endpoint;

import io.opskit.core.CheckRegistration;
import io.opskit.core.CheckState;
import io.opskit.core.HealthSnapshot;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Status;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The health endpoint shared by every adapter: maps {@code ""} (all checks), {@code live},
 * {@code ready}, {@code started} and a check name to an {@code application/health+json}
 * response, 200 for pass and warn, 503 for fail, 404 for an unknown check, 405 for a method
 * other than GET and HEAD. Details are shown per the {@link ShowDetails} policy.
 *
 * <p>Serving is a copy: a snapshot changes only when a check finishes, so the rendered bytes of
 * each view are cached per snapshot version and reused by every request until the next one.
 */
public final class HealthEndpoint {

    /** The media type of the IETF health-check draft. */
    public static final String CONTENT_TYPE = "application/health+json";
    private static final Map<String, String> HEADERS = Map.of("Cache-Control", "no-store");
    private static final Map<String, String> HEADERS_405 = Map.of("Cache-Control", "no-store", "Allow", "GET, HEAD");

    private final Ops ops;
    private final ShowDetails showDetails;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final EndpointResponse notFound;
    private final EndpointResponse notAllowed;

    private HealthEndpoint(Ops ops, ShowDetails showDetails) {
        this.ops = ops;
        this.showDetails = showDetails;
        this.notFound = new EndpointResponse(404, CONTENT_TYPE, HEADERS, HealthJson.message(Status.FAIL, "no check of that name"));
        this.notAllowed = new EndpointResponse(405, CONTENT_TYPE, HEADERS_405, HealthJson.message(Status.FAIL, "only GET and HEAD"));
    }

    /** An endpoint over {@code ops} with a details policy. */
    public static HealthEndpoint create(Ops ops, ShowDetails showDetails) {
        return new HealthEndpoint(Objects.requireNonNull(ops, "ops"), Objects.requireNonNull(showDetails, "showDetails"));
    }

    /**
     * Answers one request.
     *
     * @param subPath the path below the health base without leading slash: {@code ""}, {@code live},
     *                {@code ready}, {@code started}, or a check name
     */
    public EndpointResponse handle(String subPath, EndpointRequest request) {
        String method = request.method();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return notAllowed;
        }
        boolean details = showDetails.allows(request);
        String path = subPath == null ? "" : subPath;
        if (!path.isEmpty() && path.charAt(0) == '/') {
            path = path.substring(1);
        }
        switch (path) {
            case "":
                return view(details ? "#d" : "", ops.health(), details);
            case "live":
                return view(details ? "live#d" : "live", ops.health(Probe.LIVENESS), details);
            case "ready":
                return view(details ? "ready#d" : "ready", ops.health(Probe.READINESS), details);
            case "started":
                return view(details ? "started#d" : "started", ops.health(Probe.STARTUP), details);
            default:
                if (!CheckRegistration.isValidName(path)) {
                    return notFound;
                }
                return single(path, details);
        }
    }

    /**
     * Answers a GET or HEAD the surface has authorised, with what the caller may see: without
     * {@code components} only the aggregate status (no check is named, and one check by name is
     * 404); without {@code details} no outputs, observed values or details.
     *
     * @param subPath {@code ""}, {@code live}, {@code ready}, {@code started}, or a check name
     */
    public EndpointResponse handle(String subPath, boolean components, boolean details) {
        boolean d = components && details;
        String suffix = components ? d ? "#d" : "" : "#s";
        switch (subPath) {
            case "":
                return view(suffix, ops.health(), components, d);
            case "live":
                return view("live" + suffix, ops.health(Probe.LIVENESS), components, d);
            case "ready":
                return view("ready" + suffix, ops.health(Probe.READINESS), components, d);
            case "started":
                return view("started" + suffix, ops.health(Probe.STARTUP), components, d);
            default:
                if (!components || !CheckRegistration.isValidName(subPath)) {
                    return notFound;
                }
                return single(subPath, d);
        }
    }

    /** Answers one {@link HealthGroup} with what the caller may see; the group's own aggregation decides the status. */
    public EndpointResponse group(HealthGroup group, boolean components, boolean details) {
        boolean d = components && details;
        HealthSnapshot all = ops.health();
        String cacheKey = "group:" + group.name() + (components ? d ? "#d" : "" : "#s");
        long uptime = d ? ops.uptimeMillis() / 1000 : -1;
        Cached c = cache.get(cacheKey);
        if (c != null && c.version == all.version() && c.uptime == uptime) {
            return c.response;
        }
        List<CheckState> members = all.checks().stream().filter(group::contains).toList();
        Status status = group.aggregate(members);
        byte[] body = HealthJson.render(ops.serviceInfo(), status, members, components, d, uptime);
        EndpointResponse r = new EndpointResponse(status.httpStatus(), CONTENT_TYPE, HEADERS, body);
        cache.put(cacheKey, new Cached(all.version(), uptime, r));
        return r;
    }

    /** The 404 of an unknown check or group. */
    EndpointResponse notFound() {
        return notFound;
    }

    /** The response for a snapshot, from the cache when its version was rendered before. */
    private EndpointResponse view(String cacheKey, HealthSnapshot snapshot, boolean details) {
        return view(cacheKey, snapshot, true, details);
    }

    private EndpointResponse view(String cacheKey, HealthSnapshot snapshot, boolean components, boolean details) {
        long uptime = details ? ops.uptimeMillis() / 1000 : -1;
        Cached c = cache.get(cacheKey);
        if (c != null && c.version == snapshot.version() && c.uptime == uptime) {
            return c.response;
        }
        byte[] body = HealthJson.render(ops.serviceInfo(), snapshot.status(), snapshot.checks(), components, details, uptime);
        EndpointResponse r = new EndpointResponse(snapshot.status().httpStatus(), CONTENT_TYPE, HEADERS, body);
        cache.put(cacheKey, new Cached(snapshot.version(), uptime, r));
        return r;
    }

    private EndpointResponse single(String name, boolean details) {
        HealthSnapshot all = ops.health();
        Optional<CheckState> state = all.check(name);
        if (state.isEmpty()) {
            return notFound;
        }
        String cacheKey = "check:" + name + (details ? "#d" : "");
        long uptime = details ? ops.uptimeMillis() / 1000 : -1;
        Cached c = cache.get(cacheKey);
        if (c != null && c.version == all.version() && c.uptime == uptime) {
            return c.response;
        }
        CheckState s = state.get();
        byte[] body = HealthJson.render(ops.serviceInfo(), s.status(), List.of(s), details, uptime);
        EndpointResponse r = new EndpointResponse(s.status().httpStatus(), CONTENT_TYPE, HEADERS, body);
        if (cache.size() > 4096) {
            cache.clear();      // bounded: names come from registrations, but stay safe if many come and go
        }
        cache.put(cacheKey, new Cached(all.version(), uptime, r));
        return r;
    }

    private record Cached(long version, long uptime, EndpointResponse response) {
    }
}
