package io.opskit.core.correlation;

import java.util.Objects;

/**
 * Which inbound correlation IDs are accepted: at most {@link #maxLength()} characters, each from
 * an allowed ASCII alphabet. Anything else (CR/LF, control characters, quotes, spaces,
 * non-ASCII, very long values) is rejected so it can never reach a log line or a response
 * header raw. Immutable and cheap to check: one table lookup per character.
 *
 * <pre>{@code
 * CorrelationIdFormat.DEFAULT.isValid("req-42");                       // true
 * CorrelationIdFormat.builder().maxLength(64).allowedCharacters("0123456789abcdef").build();
 * }</pre>
 */
public final class CorrelationIdFormat {

    /** Default maximum length. */
    public static final int DEFAULT_MAX_LENGTH = 128;
    /** Default alphabet: ASCII letters, digits and {@code . _ : -}. */
    public static final String DEFAULT_ALLOWED_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-";
    /** The default format: up to 128 characters of {@link #DEFAULT_ALLOWED_CHARACTERS}. */
    public static final CorrelationIdFormat DEFAULT = builder().build();

    private final int maxLength;
    private final String allowedCharacters;
    private final boolean[] allowed = new boolean[128];

    private CorrelationIdFormat(Builder builder) {
        this.maxLength = builder.maxLength;
        this.allowedCharacters = builder.allowedCharacters;
        for (int i = 0; i < allowedCharacters.length(); i++) {
            allowed[allowedCharacters.charAt(i)] = true;
        }
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Whether {@code id} is non-empty, at most {@link #maxLength()} long and entirely of the alphabet. */
    public boolean isValid(CharSequence id) {
        if (id == null) {
            return false;
        }
        int length = id.length();
        if (length == 0 || length > maxLength) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            if (c >= 128 || !allowed[c]) {
                return false;
            }
        }
        return true;
    }

    /** The maximum accepted length. */
    public int maxLength() {
        return maxLength;
    }

    /** The accepted characters. */
    public String allowedCharacters() {
        return allowedCharacters;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CorrelationIdFormat other && other.maxLength == maxLength
                && other.allowedCharacters.equals(allowedCharacters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(maxLength, allowedCharacters);
    }

    @Override
    public String toString() {
        return "CorrelationIdFormat[maxLength=" + maxLength + ", allowedCharacters=" + allowedCharacters + "]";
    }

    /** Builds a {@link CorrelationIdFormat}; every setter validates at once. */
    public static final class Builder {
        private int maxLength = DEFAULT_MAX_LENGTH;
        private String allowedCharacters = DEFAULT_ALLOWED_CHARACTERS;

        private Builder() {
        }

        /** Maximum length, 1 to 1024. */
        public Builder maxLength(int maxLength) {
            if (maxLength < 1 || maxLength > 1024) {
                throw new IllegalArgumentException("maxLength must be between 1 and 1024, but was " + maxLength
                        + ": use e.g. " + DEFAULT_MAX_LENGTH);
            }
            this.maxLength = maxLength;
            return this;
        }

        /**
         * The accepted characters: printable ASCII except space, quotes, backslash, comma and
         * semicolon (which would break a header or a log pattern).
         */
        public Builder allowedCharacters(String allowedCharacters) {
            if (allowedCharacters == null || allowedCharacters.isEmpty()) {
                throw new IllegalArgumentException("allowedCharacters must not be empty, but was '" + allowedCharacters
                        + "': use e.g. CorrelationIdFormat.DEFAULT_ALLOWED_CHARACTERS");
            }
            for (int i = 0; i < allowedCharacters.length(); i++) {
                char c = allowedCharacters.charAt(i);
                if (c <= ' ' || c >= 127 || "\"'\\,;".indexOf(c) >= 0) {
                    throw new IllegalArgumentException("allowedCharacters must be printable ASCII without space, quotes,"
                            + " backslash, comma or semicolon, but contained U+" + String.format("%04X", (int) c)
                            + ": use e.g. CorrelationIdFormat.DEFAULT_ALLOWED_CHARACTERS");
                }
            }
            this.allowedCharacters = allowedCharacters;
            return this;
        }

        /** The format. */
        public CorrelationIdFormat build() {
            return new CorrelationIdFormat(this);
        }
    }
}
