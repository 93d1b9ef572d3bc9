package io.opskit.spring.boot;

import io.opskit.core.Ops;
import io.opskit.core.endpoint.Authenticator;
import io.opskit.core.endpoint.EndpointResponse;
import io.opskit.core.endpoint.OpsAccess;
import io.opskit.core.endpoint.OpsEndpoint;
import io.opskit.core.endpoint.OpsResponses;
import io.opskit.core.endpoint.OpsSurface;
import io.opskit.core.endpoint.OpsSurfaceConfig;
import io.opskit.core.endpoint.Role;
import io.opskit.core.maintenance.MaintenanceMode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.Resource;
import org.springframework.util.MimeType;

/**
 * opskit's operations endpoints as the Actuator endpoint {@code opskit}: {@code /actuator/opskit}
 * lists them, {@code /actuator/opskit/{path}} is opskit's {@code /ops/{path}} ({@code events},
 * {@code maintenance}, {@code info}, {@code loggers}, {@code threaddump}, {@code jfr}, and what
 * modules contribute: {@code slow-queries}, {@code leaks}, {@code pool}, ...), answered by
 * opskit's {@link OpsSurface} with its status, content type, headers and bytes.
 *
 * <p>Like every Actuator endpoint it is served only when exposed
 * ({@code management.endpoints.web.exposure.include=opskit}), on the management port when there is
 * one, and read-only by default: operator actions (POST) need
 * {@code management.endpoint.opskit.access=unrestricted}. The caller's role comes from Actuator's
 * {@link SecurityContext} (Spring Security's roles {@code OPS_OPERATOR} and {@code OPS_VIEWER} by
 * default, {@code opskit.actuator.*}); without Spring Security, exposure is the opt-in and a read
 * is a viewer's, a write an operator's. Every operator action and refusal is audited by the
 * surface as an {@code ActionEvent} that names the user. Refer to it in security rules as
 * {@code EndpointRequest.to(OpskitEndpoint.class)}.
 *
 * <p>Query and body parameters reach opskit by name (Actuator's binding): {@code limit},
 * {@code since} (events); {@code enabled}, {@code reason}, {@code retryAfterSeconds}
 * (maintenance); {@code level}, {@code duration} (loggers); {@code duration}, {@code settings} (jfr).
 * Each is optional and says so twice: with JSpecify's {@code @Nullable}, which Boot 4's Actuator reads, and
 * with Spring's own (deprecated in Spring 7), which Boot 3.5's reads; with one only, the other line would
 * answer 400 to every request that leaves the parameter out.
 */
@WebEndpoint(id = OpskitEndpoint.ID, defaultAccess = Access.READ_ONLY)
public final class OpskitEndpoint {

    /** The endpoint id: {@code /actuator/opskit}, {@code management.endpoint.opskit.*}. */
    public static final String ID = "opskit";

    private static final String OPS = "/ops";

    private final OpsSurface surface;
    private final Path spool;

    /**
     * The endpoint over its own surface of {@code ops}: opskit's built-in and contributed endpoints,
     * maintenance over {@code maintenance} when present, the index at {@code /ops}, callers from
     * {@code authenticator}; the heap dump stays off (Boot's {@code heapdump} endpoint is there for it).
     */
    static OpskitEndpoint create(Ops ops, Optional<MaintenanceMode> maintenance, Authenticator authenticator) {
        AtomicReference<OpsSurface> self = new AtomicReference<>();
        OpsEndpoint index = OpsEndpoint.of(OPS, Map.of("GET", Role.VIEWER), request -> OpsResponses.json(200,
                Map.of("endpoints", self.get().paths().stream().filter(p -> p.startsWith(OPS + "/"))
                        .map(p -> p.substring(OPS.length() + 1)).toList())));
        OpsSurface.Builder b = OpsSurface.builder(ops, OpsSurfaceConfig.builder()
                .access(OpsAccess.builder().authenticator(authenticator).build()).build()).endpoint(index);
        maintenance.ifPresent(b::maintenance);
        OpsSurface surface = b.build();
        self.set(surface);
        return new OpskitEndpoint(surface);
    }

    OpskitEndpoint(OpsSurface surface) {
        this.surface = surface;
        this.spool = surface.config().dumpDirectory().orElse(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * {@code GET /actuator/opskit}: the names of the operations endpoints served now.
     *
     * @param security the caller, from Actuator
     * @return {@code {"endpoints":["events","maintenance",...]}}
     */
    @ReadOperation(produces = {OpsResponses.JSON, "*/*"})
    public WebEndpointResponse<Resource> index(SecurityContext security) {
        return answer(new ActuatorRequest("GET", OPS, "", new byte[0], security, ServletExchange.remoteAddress(), false));
    }

    /**
     * {@code GET /actuator/opskit/{path}}: opskit's {@code GET /ops/{path}}.
     *
     * @param security the caller, from Actuator
     * @param limit    {@code /ops/events}: the most events answered
     * @param since    {@code /ops/events}: only events after this instant
     * @param path     the path below {@code /actuator/opskit}
     * @return opskit's answer
     */
    @ReadOperation(produces = {OpsResponses.JSON, "text/plain", "application/octet-stream", "*/*"})
    @SuppressWarnings("deprecation")    // Spring's own @Nullable, for Boot 3: see the class comment
    public WebEndpointResponse<Resource> read(SecurityContext security,
                                              @Nullable @org.springframework.lang.Nullable String limit,
                                              @Nullable @org.springframework.lang.Nullable String since,
                                              @Selector(match = Selector.Match.ALL_REMAINING) String[] path) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("limit", limit);
        params.put("since", since);
        return answer(new ActuatorRequest("GET", opsPath(path), query(params), new byte[0], security,
                ServletExchange.remoteAddress(), false));
    }

    /**
     * {@code POST /actuator/opskit/{path}}: opskit's {@code POST /ops/{path}}, with the parameters
     * as its JSON body and its query. Mapped by Actuator only when the endpoint's access is unrestricted.
     *
     * @param security          the caller, from Actuator
     * @param enabled           {@code /ops/maintenance}: on or off
     * @param reason            {@code /ops/maintenance}: why
     * @param retryAfterSeconds {@code /ops/maintenance}: the expected end, in seconds
     * @param level             {@code /ops/loggers/{name}}: the level to set for a while
     * @param duration          {@code /ops/loggers/{name}}: for how long; {@code /ops/jfr}: how long to record
     * @param settings          {@code /ops/jfr}: {@code default} or {@code profile}
     * @param path              the path below {@code /actuator/opskit}
     * @return opskit's answer
     */
    @WriteOperation(produces = {OpsResponses.JSON, "text/plain", "application/octet-stream", "*/*"})
    @SuppressWarnings("deprecation")    // Spring's own @Nullable, for Boot 3: see the class comment
    public WebEndpointResponse<Resource> write(SecurityContext security,
                                               @Nullable @org.springframework.lang.Nullable Boolean enabled,
                                               @Nullable @org.springframework.lang.Nullable String reason,
                                               @Nullable @org.springframework.lang.Nullable Long retryAfterSeconds,
                                               @Nullable @org.springframework.lang.Nullable String level,
                                               @Nullable @org.springframework.lang.Nullable String duration,
                                               @Nullable @org.springframework.lang.Nullable String settings,
                                               @Selector(match = Selector.Match.ALL_REMAINING) String[] path) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("enabled", enabled);
        params.put("reason", reason);
        params.put("retryAfterSeconds", retryAfterSeconds);
        params.put("level", level);
        params.put("duration", duration);
        params.put("settings", settings);
        params.values().removeIf(v -> v == null);
        byte[] body = params.isEmpty() ? new byte[0] : OpsResponses.bytes(params);
        return answer(new ActuatorRequest("POST", opsPath(path), query(params), body, security,
                ServletExchange.remoteAddress(), true));
    }

    private static String opsPath(String[] segments) {
        return segments.length == 0 ? OPS : OPS + "/" + String.join("/", segments);
    }

    private static String query(Map<String, Object> params) {
        StringJoiner q = new StringJoiner("&");
        params.forEach((name, value) -> {
            if (value != null) {
                q.add(name + "=" + URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }

    /** The surface's answer as Actuator's: status, content type and body; the other headers onto the servlet response. */
    private WebEndpointResponse<Resource> answer(ActuatorRequest request) {
        EndpointResponse answer = surface.handle(request);
        try {
            ServletExchange.setHeaders(answer.headers());
            Resource body = answer.isStreamed() ? spooled(answer) : new ByteArrayResource(answer.bodyCopy());
            return new WebEndpointResponse<>(body, answer.status(), MimeType.valueOf(answer.contentType()));
        } finally {
            answer.release();
        }
    }

    /** A streamed body (a recording, a heap dump) in a file of its own, deleted once Spring has sent it. */
    private Resource spooled(EndpointResponse answer) {
        try {
            Path file = Files.createTempFile(spool, "opskit-actuator", ".bin");
            try (OutputStream out = Files.newOutputStream(file)) {
                answer.writeTo(out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            return new SpooledResource(file);
        } catch (IOException e) {
            throw new UncheckedIOException("opskit: could not spool the answer to " + spool, e);
        }
    }
}
