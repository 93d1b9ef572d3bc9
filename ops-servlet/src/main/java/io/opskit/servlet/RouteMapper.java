package io.opskit.servlet;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * Names the route (template) of a request for the {@code uri} tag of
 * {@code http.server.requests}, e.g. {@code /api/items/{id}}. Return a template, never the raw
 * path: the tag's values must stay few. Whatever it returns is still capped by
 * {@link HttpMetricsConfig#maxUriTags()}.
 */
@FunctionalInterface
public interface RouteMapper {

    /** The route of a completed request, if known. */
    Optional<String> route(HttpServletRequest request);

    /**
     * The default: the request attribute {@link HttpMetricsFilter#ROUTE_ATTRIBUTE} (set it from a
     * router or a servlet), else the servlet mapping pattern ({@code /api/*}, {@code /ping}) unless
     * the request was served by the default servlet.
     */
    static RouteMapper defaultMapper() {
        return request -> {
            Object attribute = request.getAttribute(HttpMetricsFilter.ROUTE_ATTRIBUTE);
            if (attribute instanceof String route && !route.isBlank()) {
                return Optional.of(route);
            }
            var mapping = request.getHttpServletMapping();
            if (mapping == null || mapping.getMappingMatch() == null) {
                return Optional.empty();
            }
            return switch (mapping.getMappingMatch()) {
                case EXACT, PATH, EXTENSION -> Optional.of(mapping.getPattern());
                case CONTEXT_ROOT -> Optional.of("/");
                default -> Optional.empty();
            };
        };
    }
}
