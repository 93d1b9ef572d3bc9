package io.opskit.spring.boot;

import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.security.web.util.matcher.RequestMatcher;

/** Test support: Actuator's request matchers for Spring Security, here Boot 3's. */
final class BootSecurity {

    private BootSecurity() {
    }

    static RequestMatcher anyEndpoint() {
        return EndpointRequest.toAnyEndpoint();
    }

    static RequestMatcher endpoint(Class<?> endpoint) {
        return EndpointRequest.to(endpoint);
    }
}
