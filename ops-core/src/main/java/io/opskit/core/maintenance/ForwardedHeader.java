package io.opskit.core.maintenance;

/**
 * The one header your trusted proxies write the client's address into. opskit reads only this
 * header, never "whichever is present": behind a proxy that appends only to
 * {@code X-Forwarded-For}, a {@code Forwarded: for=10.1.2.3} the client wrote itself would
 * otherwise pass as the client's address.
 */
public enum ForwardedHeader {

    /** {@code X-Forwarded-For: client, proxy1, proxy2} (nginx, HAProxy, AWS ALB, most ingresses): the default. */
    X_FORWARDED_FOR("X-Forwarded-For"),

    /** RFC 7239 {@code Forwarded: for=client;proto=https, for=proxy1} (Envoy with it switched on, some CDNs). */
    FORWARDED("Forwarded");

    private final String headerName;

    ForwardedHeader(String headerName) {
        this.headerName = headerName;
    }

    /** The HTTP header's name, e.g. {@code X-Forwarded-For}. */
    public String headerName() {
        return headerName;
    }
}
