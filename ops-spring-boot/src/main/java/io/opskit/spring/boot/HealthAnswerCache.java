package io.opskit.spring.boot;

import io.opskit.core.Ops;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Replays Actuator's own last answer to {@code GET /actuator/health} (and its groups and components)
 * while nothing that answer is made of has changed: opskit's snapshot (its version grows with every
 * result), Boot's liveness and readiness states (the only indicators opskit does not run), and the
 * contributors in Actuator's registry (one registered or removed at run time shows at once, before
 * the snapshot that follows it).
 * Actuator still builds every answer that differs, with its groups, show-details and status
 * mapping; a replay is the same status, content type and bytes, without assembling twenty
 * components and writing them with Jackson again on every probe.
 *
 * <p>Only anonymous requests are replayed (no {@code Authorization} header and no principal once
 * Spring Security, which runs first, has seen the request), because details may depend on who
 * asks, and without a query string; only 200 and 503 answers are kept, for at most {@value #MAX_ANSWERS}
 * distinct path and {@code Accept} pairs (more empty the cache: a flood of distinct headers only costs misses).
 */
final class HealthAnswerCache extends OncePerRequestFilter {

    static final int MAX_ANSWERS = 64;

    private final Ops ops;
    private final ApplicationAvailability availability;
    private final String prefix;
    private final LongSupplier registryGeneration;
    private final ConcurrentHashMap<Key, Answer> answers = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    /**
     * @param prefix             the health endpoint's path within its context, e.g. {@code /actuator/health}
     * @param registryGeneration grows whenever a contributor joins or leaves Actuator's registry at run time
     *                           ({@link BridgedChecks#generation()})
     */
    HealthAnswerCache(Ops ops, ApplicationAvailability availability, String prefix, LongSupplier registryGeneration) {
        this.ops = Objects.requireNonNull(ops, "ops");
        this.availability = Objects.requireNonNull(availability, "availability");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.registryGeneration = Objects.requireNonNull(registryGeneration, "registryGeneration");
    }

    /** Requests answered by a replay. */
    long hits() {
        return hits.sum();
    }

    /** Requests Actuator answered (and whose answer may be replayed). */
    long misses() {
        return misses.sum();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        if (!"GET".equals(request.getMethod())) {
            return true;
        }
        String path = path(request);
        return !(path.equals(prefix) || path.startsWith(prefix) && path.charAt(prefix.length()) == '/');
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getHeader("Authorization") != null || request.getUserPrincipal() != null
                || request.getQueryString() != null) {
            chain.doFilter(request, response);
            return;
        }
        // read before Actuator answers: the answer then shows at least this, so keeping it under this stamp is safe
        long version = ops.health().version();
        long generation = registryGeneration.getAsLong();
        LivenessState liveness = availability.getLivenessState();
        ReadinessState readiness = availability.getReadinessState();
        Key key = new Key(path(request), request.getHeader("Accept"));
        Answer answer = answers.get(key);
        if (answer != null && answer.version == version && answer.generation == generation && answer.liveness == liveness
                && answer.readiness == readiness) {
            hits.increment();
            response.setStatus(answer.status);
            response.setContentType(answer.contentType);
            response.setContentLength(answer.body.length);
            response.getOutputStream().write(answer.body);
            return;
        }
        misses.increment();
        ContentCachingResponseWrapper capture = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, capture);
        int status = capture.getStatus();
        String contentType = capture.getContentType();
        byte[] body = capture.getContentAsByteArray();
        capture.copyBodyToResponse();
        if ((status == 200 || status == 503) && contentType != null && !request.isAsyncStarted()) {
            if (answers.size() >= MAX_ANSWERS && !answers.containsKey(key)) {
                answers.clear();    // a flood of distinct Accept headers costs misses, never memory, never a lock-out
            }
            answers.put(key, new Answer(version, generation, liveness, readiness, status, contentType, body));
        }
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    private record Key(String path, String accept) {
    }

    private record Answer(long version, long generation, LivenessState liveness, ReadinessState readiness, int status, String contentType,
            byte[] body) {
    }
}
