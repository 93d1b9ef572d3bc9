package io.opskit.spring.boot;

import io.opskit.core.endpoint.EndpointRequest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.security.Principal;
import java.util.Optional;
import org.springframework.boot.actuate.endpoint.SecurityContext;

/**
 * One call of the {@code opskit} Actuator endpoint as opskit's operations surface sees it: the
 * path below {@code /ops}, the query and body rebuilt from the operation's parameters, the
 * servlet request's headers but {@code Authorization}, and the
 * caller as Actuator's {@link SecurityContext} knows it ({@link #principal()},
 * {@link #isUserInRole}). {@link #write()} tells a write operation (which Actuator maps only when
 * the endpoint's access is unrestricted) from a read.
 */
final class ActuatorRequest implements EndpointRequest {

    private final String method;
    private final String path;
    private final String query;
    private final byte[] body;
    private final SecurityContext security;
    private final String remoteAddress;
    private final boolean write;

    ActuatorRequest(String method, String path, String query, byte[] body, SecurityContext security,
                    String remoteAddress, boolean write) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.body = body;
        this.security = security;
        this.remoteAddress = remoteAddress;
        this.write = write;
    }

    /** Whether this is a write operation of the endpoint. */
    boolean write() {
        return write;
    }

    @Override
    public String method() {
        return method;
    }

    /**
     * The request's header ({@code Accept} chooses the thread dump's format), except
     * {@code Authorization}: the caller comes from Actuator's security context, never from a bearer token.
     */
    @Override
    public Optional<String> header(String name) {
        return "Authorization".equalsIgnoreCase(name) ? Optional.empty() : ServletExchange.header(name);
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean isUserInRole(String role) {
        return security.getPrincipal() != null && security.isUserInRole(role);
    }

    @Override
    public Optional<String> principal() {
        return Optional.ofNullable(security.getPrincipal()).map(Principal::getName);
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public InputStream body() {
        return new ByteArrayInputStream(body);
    }
}
