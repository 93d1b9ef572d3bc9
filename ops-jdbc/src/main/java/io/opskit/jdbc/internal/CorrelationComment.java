package io.opskit.jdbc.internal;

import io.opskit.core.correlation.CorrelationId;
import java.util.Optional;
import java.util.regex.Pattern;
import net.ttddyy.dsproxy.transform.QueryTransformer;
import net.ttddyy.dsproxy.transform.TransformInfo;

/**
 * A datasource-proxy {@link QueryTransformer} that prefixes each statement with a
 * sqlcommenter-style comment carrying the current correlation ID,
 * <code>/*correlation_id='req-42'*&#47; SELECT …</code>, so {@code pg_stat_activity} and the server's
 * slow-query log show which request ran it.
 *
 * <p>Only IDs of 1 to 128 characters from {@code [A-Za-z0-9._:-]} are written: none of those
 * can close the comment or the quotes, so an ID can never inject SQL. Any other ID is left out
 * (the statement runs unchanged).
 */
public final class CorrelationComment implements QueryTransformer {

    /** The IDs that may be written into SQL. */
    public static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    @Override
    public String transformQuery(TransformInfo info) {
        String query = info.getQuery();
        Optional<String> id = CorrelationId.current();
        if (id.isEmpty() || query == null || !SAFE_ID.matcher(id.get()).matches()) {
            return query;
        }
        return "/*correlation_id='" + id.get() + "'*/ " + query;
    }
}
