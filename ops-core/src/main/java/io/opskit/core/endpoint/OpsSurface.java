package io.opskit.core.endpoint;

import io.opskit.core.Ops;
import io.opskit.core.maintenance.MaintenanceMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one dispatcher of the operations surface: every adapter hands it each request and copies
 * out the answer, so ops-servlet and {@code OpsHttpServer} answer with the same bytes, codes and
 * headers, with no adapter code per endpoint.
 *
 * <pre>{@code
 * OpsSurface surface = OpsSurface.builder(ops, config).maintenance(mode).endpoint(metrics).build();
 * EndpointResponse answer = surface.handle(request);   // request.path() is e.g. "/ops/events"
 * }</pre>
 *
 * <p>It serves the built-in endpoints (health and its groups, {@code /livez}, {@code /readyz},
 * {@code /ops/events}, {@code /ops/maintenance}, {@code /ops/info}, {@code /ops/loggers},
 * {@code /ops/threaddump}, {@code /ops/heapdump}, {@code /ops/jfr}), what modules contributed to
 * {@link Ops#endpoints()}, and the adapter's own (such as {@code /metrics}). For each request, in
 * order: an unknown or unexposed path is 404; a method the endpoint does not document is 405
 * with {@code Allow} (TRACE always); a caller whose role is too low gets 401 with
 * {@code WWW-Authenticate: Bearer} when it brought no or a wrong token, 403 otherwise (also a
 * user an {@link Authenticator} recognised without granting a role), and the
 * refusal is audited; a body over the limit is 413; then the endpoint answers, and when the
 * method acts, the action is audited with its result.
 */
public final class OpsSurface {

    private static final Logger LOG = LoggerFactory.getLogger(OpsSurface.class);

    private final Ops ops;
    private final OpsSurfaceConfig config;
    private final List<OpsEndpoint> builtIn;
    private final Optional<ShowDetails> legacyDetails;
    private final Audit audit;
    private volatile Combined combined;

    private OpsSurface(Builder b) {
        this.ops = b.ops;
        this.config = b.config;
        this.legacyDetails = b.legacyDetails;
        this.audit = new Audit(ops.events(), config.access().refusalsPerMinute());
        HealthEndpoint health = HealthEndpoint.create(ops, ShowDetails.NEVER);
        List<OpsEndpoint> list = new ArrayList<>();
        list.add(new HealthFamily(b.healthPath.orElse(config.healthPath()), health, config.groups()));
        list.add(KubeProbeEndpoint.livez(ops));
        list.add(KubeProbeEndpoint.readyz(ops));
        list.add(EventsEndpoint.create(ops.events()).asOpsEndpoint());
        b.maintenance.ifPresent(m -> list.add(MaintenanceEndpoint.operatorEndpoint(m)));
        list.add(InfoEndpoint.create(ops));
        list.add(LoggersEndpoint.create(ops, config));
        list.add(ThreadDumpEndpoint.create());
        list.add(HeapDumpEndpoint.create(config));
        list.add(JfrEndpoint.create(config));
        list.addAll(b.extra);
        this.builtIn = List.copyOf(list);
    }

    /** Starts building the surface of {@code ops}. */
    public static Builder builder(Ops ops, OpsSurfaceConfig config) {
        return new Builder(ops, config);
    }

    /** The configuration. */
    public OpsSurfaceConfig config() {
        return config;
    }

    /** The paths served now (exposed ones only), for adapters that map paths and for documentation. */
    public List<String> paths() {
        List<String> out = new ArrayList<>();
        for (OpsEndpoint e : endpoints()) {
            if (config.exposed(e.path(), e.exposedByDefault())) {
                out.add(e.path());
            }
        }
        return out;
    }

    /** Answers one request; never throws for a request, an endpoint's failure is a 500. */
    public EndpointResponse handle(EndpointRequest request) {
        String path = request.path();
        String method = request.method();
        Optional<Match> found = match(path);
        if (found.isEmpty() || !config.exposed(found.get().endpoint.path(), found.get().endpoint.exposedByDefault())) {
            return OpsResponses.error(404, "not found");
        }
        OpsEndpoint endpoint = found.get().endpoint;
        Role required = "TRACE".equals(method) ? null
                : endpoint.methods().get("HEAD".equals(method) ? "GET" : method);
        if (required == null) {
            return OpsResponses.error(405, "method not allowed: use " + allow(endpoint), Map.of("Allow", allow(endpoint)));
        }
        OpsAccess.Authentication auth = config.access().authenticate(request);
        Caller caller = auth.caller();
        if (!caller.role().atLeast(required)) {
            // a caller an Authenticator named but gave no role is known and refused (403), not asked to log in (401)
            if (caller.role() == Role.ANONYMOUS && Caller.ANONYMOUS_NAME.equals(caller.name())) {
                String why = auth.wrongToken() ? "wrong token" : "no credentials";
                audit.refused(caller, method, path, 401, why);
                String challenge = auth.wrongToken() ? "Bearer realm=\"opskit\", error=\"invalid_token\"" : "Bearer realm=\"opskit\"";
                return OpsResponses.error(401, "authentication required: send Authorization: Bearer <token> of a "
                        + required.name().toLowerCase(java.util.Locale.ROOT), Map.of("WWW-Authenticate", challenge));
            }
            audit.refused(caller, method, path, 403, "role " + caller.role() + " below " + required);
            return OpsResponses.error(403, "forbidden: this needs the " + required.name().toLowerCase(java.util.Locale.ROOT)
                    + " role");
        }
        byte[] body = new byte[0];
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            try {
                body = read(request.body(), config.maxBodyBytes());
            } catch (IOException e) {
                return OpsResponses.error(400, "could not read the request body");
            }
            if (body == null) {
                return OpsResponses.error(413, "request body larger than " + config.maxBodyBytes() + " bytes");
            }
        }
        boolean components = config.access().showComponents().allows(caller.role())
                || legacyDetails.map(d -> d.allows(request)).orElse(false);
        boolean details = components && (config.access().showDetails().allows(caller.role())
                || legacyDetails.map(d -> d.allows(request)).orElse(false));
        OpsRequest r = new OpsRequest(request, caller, found.get().subPath, Query.parse(request.query()), body,
                components, details);
        EndpointResponse answer;
        try {
            answer = endpoint.handle(r);
        } catch (Exception e) {
            LOG.warn("opskit endpoint {} {} failed: {}", method, endpoint.path(), io.opskit.core.Result.describe(e));
            answer = OpsResponses.error(500, "internal error");
        }
        if (endpoint.isAction(method)) {
            audit.action(caller, method, path, answer.status());
        }
        return answer;
    }

    private List<OpsEndpoint> endpoints() {
        List<OpsEndpoint> contributed = ops.endpoints().list();
        Combined c = combined;
        if (c == null || c.contributed != contributed) {     // rebuilt only when a module adds or removes one
            List<OpsEndpoint> all = new ArrayList<>(builtIn);
            all.addAll(contributed);
            c = new Combined(contributed, List.copyOf(all));
            combined = c;
        }
        return c.all;
    }

    /** The built-in endpoints followed by the contributed ones, for one version of the contributed list. */
    private record Combined(List<OpsEndpoint> contributed, List<OpsEndpoint> all) {
    }

    private Optional<Match> match(String path) {
        if (path == null || path.isEmpty() || path.contains("//") || path.contains("/../") || path.endsWith("/..")) {
            return Optional.empty();
        }
        Match best = null;
        for (OpsEndpoint e : endpoints()) {
            String p = e.path();
            if (path.equals(p)) {
                return Optional.of(new Match(e, ""));
            }
            if (e.servesSubPaths() && path.startsWith(p + "/") && (best == null || p.length() > best.endpoint.path().length())) {
                best = new Match(e, path.substring(p.length() + 1));
            }
        }
        return Optional.ofNullable(best);
    }

    private static String allow(OpsEndpoint endpoint) {
        TreeSet<String> methods = new TreeSet<>(endpoint.methods().keySet());
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        return String.join(", ", methods);
    }

    /** Reads at most {@code max} bytes; null when the body is longer. */
    private static byte[] read(InputStream in, int max) throws IOException {
        try (in) {
            byte[] b = in.readNBytes(max + 1);
            return b.length > max ? null : b;
        }
    }

    private record Match(OpsEndpoint endpoint, String subPath) {
    }

    /** Builds an {@link OpsSurface}. */
    public static final class Builder {
        private final Ops ops;
        private final OpsSurfaceConfig config;
        private Optional<MaintenanceMode> maintenance = Optional.empty();
        private Optional<ShowDetails> legacyDetails = Optional.empty();
        private Optional<String> healthPath = Optional.empty();
        private final List<OpsEndpoint> extra = new ArrayList<>();

        private Builder(Ops ops, OpsSurfaceConfig config) {
            this.ops = Objects.requireNonNull(ops, "ops must not be null");
            this.config = Objects.requireNonNull(config, "config must not be null: use OpsSurfaceConfig.DEFAULT");
        }

        /** Serves {@code /ops/maintenance} over {@code mode}: GET for viewers, POST for operators. */
        public Builder maintenance(MaintenanceMode mode) {
            this.maintenance = Optional.of(Objects.requireNonNull(mode, "maintenance must not be null"));
            return this;
        }

        /**
         * Also shows check names and details to requests {@code showDetails} accepts, whatever
         * their role: the policy of adapters configured before roles existed
         * ({@code ShowDetails.ALWAYS} on a private management port).
         */
        public Builder showDetails(ShowDetails showDetails) {
            Objects.requireNonNull(showDetails, "showDetails must not be null");
            this.legacyDetails = showDetails == ShowDetails.NEVER ? Optional.empty() : Optional.of(showDetails);
            return this;
        }

        /** Serves health at {@code path} instead of the config's (for adapters with their own path setting). */
        public Builder healthPath(String path) {
            this.healthPath = Optional.of(OpsSurfaceConfig.builder().healthPath(path).build().healthPath());
            return this;
        }

        /** Adds an endpoint of the adapter (e.g. {@code /metrics}). */
        public Builder endpoint(OpsEndpoint endpoint) {
            extra.add(Objects.requireNonNull(endpoint, "endpoint must not be null"));
            return this;
        }

        /** The surface. */
        public OpsSurface build() {
            return new OpsSurface(this);
        }
    }
}
