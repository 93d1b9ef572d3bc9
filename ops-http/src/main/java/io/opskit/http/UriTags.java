package io.opskit.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The bounded {@code uri} tag of {@code http.client.requests}: the path with ID-like segments
 * replaced by {@code {id}}, and never more than a fixed number of distinct values per client
 * (later ones are {@code OTHER}): an unbounded tag is a memory leak in every metrics backend.
 */
final class UriTags {

    static final String OTHER = "OTHER";
    private static final Pattern ID_LIKE = Pattern.compile(
            "\\d+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{16,}|.{41,}|.*%.*");

    private final Function<HttpRequest, String> mapper;
    private final int max;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    UriTags(Function<HttpRequest, String> mapper, int max) {
        this.mapper = mapper;
        this.max = max;
    }

    String tag(HttpRequest request) {
        String t = mapper.apply(request);
        if (t == null || t.isBlank()) {
            t = "none";
        }
        if (seen.contains(t)) {
            return t;
        }
        if (seen.size() >= max) {
            return OTHER;
        }
        seen.add(t);
        return t;
    }

    /** The default template: {@code /users/42/orders/9f0c…} becomes {@code /users/{id}/orders/{id}}. */
    static String template(HttpRequest request) {
        URI uri = request.uri();
        String path = uri.getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            return "/";
        }
        StringBuilder sb = new StringBuilder(path.length());
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                continue;
            }
            sb.append('/').append(ID_LIKE.matcher(segment).matches() ? "{id}" : segment);
        }
        if (path.endsWith("/")) {
            sb.append('/');
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
