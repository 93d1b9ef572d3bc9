package io.opskit.servlet.internal;

import io.opskit.core.endpoint.EndpointRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.Principal;
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

    @Override
    public Optional<String> principal() {
        return Optional.ofNullable(request.getUserPrincipal()).map(Principal::getName);
    }

    /** The servlet path plus the path info: the path below the context, as the surface routes it. */
    @Override
    public String path() {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    }

    @Override
    public String query() {
        String q = request.getQueryString();
        return q == null ? "" : q;
    }

    @Override
    public InputStream body() {
        try {
            return request.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
