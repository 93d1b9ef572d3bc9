package io.opskit.servlet.internal;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a request into a bounded {@code uri} tag: the route when known, {@code NOT_FOUND} and
 * {@code REDIRECTION} without one, else the first path segment ({@code /api/**}); at most
 * {@code max} distinct values, after which {@code UNKNOWN}. Never the raw path: an unbounded
 * tag is a memory leak in every metrics backend.
 */
public final class UriTagger {

    /** Tag for values beyond the cap or not fit to be a tag. */
    public static final String UNKNOWN = "UNKNOWN";
    /** Tag for 404s without a route. */
    public static final String NOT_FOUND = "NOT_FOUND";
    /** Tag for redirects without a route. */
    public static final String REDIRECTION = "REDIRECTION";

    private static final Logger log = LoggerFactory.getLogger(UriTagger.class);
    private static final int MAX_LENGTH = 200;

    private final int max;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean warned = new AtomicBoolean();

    /** A tagger allowing {@code max} distinct values. */
    public UriTagger(int max) {
        this.max = max;
    }

    /** The tag for a request with this route (if known), status and path. */
    public String tag(Optional<String> route, int status, String path) {
        if (route.isPresent()) {
            String r = route.get();
            return r.length() > MAX_LENGTH || r.isBlank() ? UNKNOWN : bounded(r);
        }
        if (status == 404) {
            return NOT_FOUND;
        }
        if (status >= 300 && status < 400) {
            return REDIRECTION;
        }
        return bounded(firstSegment(path));
    }

    private String bounded(String value) {
        if (seen.contains(value)) {
            return value;
        }
        if (seen.size() >= max) {
            if (warned.compareAndSet(false, true)) {
                log.warn("http.server.requests: more than {} distinct uri tags; further ones are tagged {}."
                        + " Set a RouteMapper that names route templates.", max, UNKNOWN);
            }
            return UNKNOWN;
        }
        seen.add(value);
        return value;
    }

    private static String firstSegment(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "/";
        }
        int start = path.charAt(0) == '/' ? 1 : 0;
        int end = path.indexOf('/', start);
        String segment = end < 0 ? path.substring(start) : path.substring(start, end);
        if (segment.isEmpty() || segment.length() > 40) {
            return UNKNOWN;
        }
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '~';
            if (!ok) {
                return UNKNOWN;
            }
        }
        boolean deeper = end >= 0 && end < path.length() - 1;
        return deeper ? "/" + segment + "/**" : "/" + segment;
    }
}
