package io.opskit.core.correlation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * How an adapter (servlet filter, HTTP server, outbound client) reads, validates and writes
 * correlation IDs: the inbound headers tried in order, whether a W3C {@code traceparent}
 * trace-id is the last fallback, the response header, and the accepted format. The resolution
 * itself is plain Java here, so each adapter is a thin translation.
 *
 * <pre>{@code
 * CorrelationIdConfig config = CorrelationIdConfig.builder().headers("X-Correlation-ID", "X-Request-ID").build();
 * String id = config.resolve(request::getHeader);   // a valid inbound ID, or a generated one
 * }</pre>
 */
public final class CorrelationIdConfig {

    /** Default inbound headers, in order. */
    public static final List<String> DEFAULT_HEADERS = List.of("X-Correlation-ID", "X-Request-ID");
    /** Default response header. */
    public static final String DEFAULT_RESPONSE_HEADER = "X-Correlation-ID";
    /** The W3C trace-context header. */
    public static final String TRACEPARENT = "traceparent";
    /** The defaults: {@link #DEFAULT_HEADERS}, then {@code traceparent}, echoed in {@link #DEFAULT_RESPONSE_HEADER}. */
    public static final CorrelationIdConfig DEFAULT = builder().build();

    private final List<String> headers;
    private final boolean useTraceparent;
    private final String responseHeader;
    private final CorrelationIdFormat format;

    private CorrelationIdConfig(Builder b) {
        this.headers = List.copyOf(b.headers);
        this.useTraceparent = b.useTraceparent;
        this.responseHeader = b.responseHeader;
        this.format = b.format;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The correlation ID for a request: the first inbound header whose value is valid under
     * {@link #format()}, else the trace-id of a valid {@code traceparent} (when enabled), else a
     * freshly {@link CorrelationId#generate() generated} ID. Never returns an invalid value.
     *
     * @param header looks a request header up by name, returning {@code null} when absent
     */
    public String resolve(Function<String, String> header) {
        String inbound = inboundOrNull(header);
        return inbound != null ? inbound : CorrelationId.generate();
    }

    /** The valid inbound correlation ID of a request, if it carries one (see {@link #resolve}). */
    public Optional<String> inbound(Function<String, String> header) {
        return Optional.ofNullable(inboundOrNull(header));
    }

    // per request: no Optional on the common path
    private String inboundOrNull(Function<String, String> header) {
        for (int i = 0, n = headers.size(); i < n; i++) {
            String value = header.apply(headers.get(i));
            if (value != null && format.isValid(value)) {
                return value;
            }
        }
        if (useTraceparent) {
            String traceparent = header.apply(TRACEPARENT);
            if (traceparent != null) {
                return Traceparent.traceId(traceparent).orElse(null);
            }
        }
        return null;
    }

    /** The inbound headers, in order. */
    public List<String> headers() {
        return headers;
    }

    /** Whether a {@code traceparent} trace-id is the last fallback. */
    public boolean useTraceparent() {
        return useTraceparent;
    }

    /** The response header carrying the ID. */
    public String responseHeader() {
        return responseHeader;
    }

    /** The accepted inbound format. */
    public CorrelationIdFormat format() {
        return format;
    }

    @Override
    public String toString() {
        return "CorrelationIdConfig[headers=" + headers + ", useTraceparent=" + useTraceparent
                + ", responseHeader=" + responseHeader + ", format=" + format + "]";
    }

    /** Builds a {@link CorrelationIdConfig}; every setter validates at once. */
    public static final class Builder {
        private List<String> headers = DEFAULT_HEADERS;
        private boolean useTraceparent = true;
        private String responseHeader = DEFAULT_RESPONSE_HEADER;
        private CorrelationIdFormat format = CorrelationIdFormat.DEFAULT;

        private Builder() {
        }

        /** The inbound headers to try, in order (at least one). */
        public Builder headers(String... headers) {
            Objects.requireNonNull(headers, "headers");
            if (headers.length == 0) {
                throw new IllegalArgumentException("headers must name at least one header, but was empty:"
                        + " use e.g. \"X-Correlation-ID\"");
            }
            List<String> list = new ArrayList<>();
            for (String h : headers) {
                list.add(headerName("headers", h));
            }
            this.headers = list;
            return this;
        }

        /** Whether to fall back to the trace-id of a valid {@code traceparent} (default true). */
        public Builder useTraceparent(boolean useTraceparent) {
            this.useTraceparent = useTraceparent;
            return this;
        }

        /** The response header that echoes the ID (default {@code X-Correlation-ID}). */
        public Builder responseHeader(String responseHeader) {
            this.responseHeader = headerName("responseHeader", responseHeader);
            return this;
        }

        /** The accepted inbound format (default {@link CorrelationIdFormat#DEFAULT}). */
        public Builder format(CorrelationIdFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        /** The config. */
        public CorrelationIdConfig build() {
            return new CorrelationIdConfig(this);
        }

        private static String headerName(String field, String name) {
            if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}")) {
                throw new IllegalArgumentException(field + " must hold HTTP header names (RFC 9110 tokens), but was '"
                        + name + "': use e.g. \"X-Correlation-ID\"");
            }
            return name.toLowerCase(Locale.ROOT).equals(TRACEPARENT) ? TRACEPARENT : name;
        }
    }
}
