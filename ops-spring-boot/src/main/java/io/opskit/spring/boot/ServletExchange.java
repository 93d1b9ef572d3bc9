package io.opskit.spring.boot;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Optional;
import org.springframework.util.ClassUtils;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The servlet exchange Spring MVC is serving an Actuator operation on: Actuator's operation model
 * carries neither the client's address nor headers, which opskit's audit and answers need.
 * Outside a servlet request (WebFlux) the address is empty and there are no headers either way.
 */
final class ServletExchange {

    private static final boolean SERVLET = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
            ServletExchange.class.getClassLoader());

    private ServletExchange() {
    }

    /** The client's address as the container resolved it (Boot's forwarded-headers strategy applies). */
    static String remoteAddress() {
        return SERVLET ? Servlet.remoteAddress() : "";
    }

    /** A header of the request being served. */
    static Optional<String> header(String name) {
        return SERVLET ? Servlet.header(name) : Optional.empty();
    }

    /** Sets {@code headers} on the response being served. */
    static void setHeaders(Map<String, String> headers) {
        if (SERVLET && !headers.isEmpty()) {
            Servlet.setHeaders(headers);
        }
    }

    /** Loaded only when the servlet API is present. */
    private static final class Servlet {

        static String remoteAddress() {
            HttpServletRequest request = attributes() != null ? attributes().getRequest() : null;
            return request != null ? request.getRemoteAddr() : "";
        }

        static Optional<String> header(String name) {
            HttpServletRequest request = attributes() != null ? attributes().getRequest() : null;
            return request != null ? Optional.ofNullable(request.getHeader(name)) : Optional.empty();
        }

        static void setHeaders(Map<String, String> headers) {
            ServletRequestAttributes attributes = attributes();
            HttpServletResponse response = attributes != null ? attributes.getResponse() : null;
            if (response != null) {
                headers.forEach(response::setHeader);
            }
        }

        private static ServletRequestAttributes attributes() {
            RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
            return attributes instanceof ServletRequestAttributes s ? s : null;
        }
    }
}
