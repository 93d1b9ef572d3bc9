package io.opskit.core.endpoint;

import java.util.List;
import java.util.Map;

/**
 * {@code /health}, {@code /health/live|ready|started}, {@code /health/{component:measurement}}
 * and {@code /health/group/{name}} on the surface: anonymous, answering with what the caller may
 * see (aggregate only, names, or details).
 */
final class HealthFamily implements OpsEndpoint {

    private static final Map<String, Role> METHODS = Map.of("GET", Role.ANONYMOUS);

    private final String path;
    private final HealthEndpoint health;
    private final List<HealthGroup> groups;

    HealthFamily(String path, HealthEndpoint health, List<HealthGroup> groups) {
        this.path = path;
        this.health = health;
        this.groups = groups;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public boolean servesSubPaths() {
        return true;
    }

    @Override
    public Map<String, Role> methods() {
        return METHODS;
    }

    @Override
    public EndpointResponse handle(OpsRequest request) {
        String sub = request.subPath();
        if (sub.startsWith("group/")) {
            String name = sub.substring("group/".length());
            for (HealthGroup g : groups) {
                if (g.name().equals(name)) {
                    return health.group(g, request.showComponents(), request.showDetails());
                }
            }
            return health.notFound();
        }
        return health.handle(sub, request.showComponents(), request.showDetails());
    }
}
