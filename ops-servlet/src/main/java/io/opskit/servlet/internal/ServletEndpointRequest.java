package io.opskit.servlet.internal;

import io.opskit.core.endpoint.EndpointRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/** An {@link EndpointRequest} view of a servlet request. */
public final class ServletEndpointRequest implements EndpointRequest {

    private final HttpServletRequest request;

    /** A view of {@code request}. */
    public ServletEndpointRequest(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeader(name));
    }

    @Override
    public String remoteAddress() {
        String addr = request.getRemoteAddr();
        return addr == null ? "" : addr;
    }

    @Override
    public boolean isUserInRole(String role) {
        return request.isUserInRole(role);
    }
}
