package io.opskit.servlet.internal;

import io.opskit.core.maintenance.MaintenanceRequest;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;

/** A {@link MaintenanceRequest} view of a servlet request. */
public final class ServletMaintenanceRequest implements MaintenanceRequest {

    private final HttpServletRequest request;

    /** A view of {@code request}. */
    public ServletMaintenanceRequest(HttpServletRequest request) {
        this.request = request;
    }

    /** The decoded, normalised path within the application: servlet path plus path info. */
    public static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public String path() {
        return pathOf(request);
    }

    @Override
    public String requestUri() {
        return request.getRequestURI();
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
    public List<String> headerValues(String name) {
        Enumeration<String> values = request.getHeaders(name);
        if (values == null || !values.hasMoreElements()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        while (values.hasMoreElements() && out.size() < 64) {
            out.add(values.nextElement());
        }
        return out;
    }

    @Override
    public Optional<String> cookie(String name) {
        Cookie[] cookies = request.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (name.equals(c.getName())) {
                    return Optional.ofNullable(c.getValue());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> queryString() {
        return Optional.ofNullable(request.getQueryString());
    }

    @Override
    public String remoteAddress() {
        String addr = request.getRemoteAddr();
        return addr == null ? "" : addr;
    }

    @Override
    public boolean isSecure() {
        return request.isSecure();
    }
}
