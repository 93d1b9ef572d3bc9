package io.opskit.core.endpoint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who may use the operations surface: bearer tokens with a role, an optional hook for the
 * application's own authentication, and who sees check names and details.
 *
 * <pre>{@code
 * OpsAccess access = OpsAccess.builder()
 *         .token("grafana", System.getenv("OPS_VIEWER_TOKEN"), Role.VIEWER)
 *         .token("oncall", System.getenv("OPS_OPERATOR_TOKEN"), Role.OPERATOR)
 *         .build();
 * }</pre>
 *
 * <p>A request is authenticated by the {@link Authenticator}s first (in the order added), then by
 * its {@code Authorization: Bearer} header. Tokens are compared in constant time (as SHA-256
 * digests, so neither content nor length leaks through timing), and every configured token is
 * compared on every request. A request with a bearer token that matches none is "wrong token":
 * answered 401 wherever a role is needed, and anonymous where none is.
 */
public final class OpsAccess {

    /** The shortest token accepted: 16 characters. */
    public static final int MIN_TOKEN_LENGTH = 16;
    /** Default visibility of check names and of details: {@link Visibility#WHEN_AUTHORIZED}. */
    public static final Visibility DEFAULT_VISIBILITY = Visibility.WHEN_AUTHORIZED;
    /** Default number of audit events (and log lines) per minute for refused attempts: 30. */
    public static final int DEFAULT_REFUSALS_PER_MINUTE = 30;
    /** No tokens, no authenticator: only the anonymous parts answer; {@code /ops/*} answers 401. */
    public static final OpsAccess DEFAULT = builder().build();

    private final List<Token> tokens;
    private final List<Authenticator> authenticators;
    private final Visibility showComponents;
    private final Visibility showDetails;
    private final int refusalsPerMinute;

    private OpsAccess(Builder b) {
        this.tokens = List.copyOf(b.tokens);
        this.authenticators = List.copyOf(b.authenticators);
        this.showComponents = b.showComponents;
        this.showDetails = b.showDetails;
        this.refusalsPerMinute = b.refusalsPerMinute;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Who sees the names of checks in health answers. */
    public Visibility showComponents() {
        return showComponents;
    }

    /** Who sees details and outputs of checks and events. */
    public Visibility showDetails() {
        return showDetails;
    }

    /** Audit events for refused attempts per minute; the rest are counted and summed up in the next one. */
    public int refusalsPerMinute() {
        return refusalsPerMinute;
    }

    /** The names of the configured tokens (never their values). */
    public List<String> tokenNames() {
        return tokens.stream().map(Token::name).toList();
    }

    /** Who made {@code request}; a bearer token that matches no configured token is reported as such. */
    public Authentication authenticate(EndpointRequest request) {
        for (Authenticator a : authenticators) {
            Optional<Caller> c = a.authenticate(request);
            if (c.isPresent()) {
                return new Authentication(c.get(), false);
            }
        }
        Optional<String> header = request.header("Authorization");
        if (header.isEmpty()) {
            return new Authentication(Caller.anonymous(request.remoteAddress()), false);
        }
        String h = header.get();
        if (!h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Authentication(Caller.anonymous(request.remoteAddress()), false);   // Basic etc.: not ours
        }
        byte[] given = sha256(h.substring(7).trim());
        Token match = null;
        for (Token t : tokens) {
            if (MessageDigest.isEqual(t.digest, given)) {   // no early exit: every token is compared
                match = t;
            }
        }
        if (match == null) {
            return new Authentication(Caller.anonymous(request.remoteAddress()), true);
        }
        return new Authentication(new Caller(match.name, match.role, request.remoteAddress()), false);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The outcome of authentication.
     *
     * @param caller     who called (anonymous when no credentials matched)
     * @param wrongToken whether the request carried credentials that matched nothing
     */
    public record Authentication(Caller caller, boolean wrongToken) {
        /** Validates. */
        public Authentication {
            Objects.requireNonNull(caller, "caller");
        }
    }

    private record Token(String name, byte[] digest, Role role) {
    }

    /** Builds an {@link OpsAccess}; every setter validates at once. */
    public static final class Builder {
        private final List<Token> tokens = new ArrayList<>();
        private final List<Authenticator> authenticators = new ArrayList<>();
        private Visibility showComponents = DEFAULT_VISIBILITY;
        private Visibility showDetails = DEFAULT_VISIBILITY;
        private int refusalsPerMinute = DEFAULT_REFUSALS_PER_MINUTE;

        private Builder() {
        }

        /**
         * Accepts {@code Authorization: Bearer <secret>} as {@code role}; {@code name} is what the
         * audit log says instead of the secret.
         */
        public Builder token(String name, String secret, Role role) {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("token name must be 1 to 64 letters, digits, '.', '_' or '-', but was '"
                        + name + "': name who holds it, e.g. 'oncall'");
            }
            if (secret == null || secret.length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("token '" + name + "' must be at least " + MIN_TOKEN_LENGTH
                        + " characters, but was " + (secret == null ? "null" : secret.length() + " characters")
                        + ": use a long random secret, e.g. `openssl rand -hex 32`");
            }
            if (!secret.equals(secret.trim()) || secret.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException("token '" + name + "' must be printable ASCII without spaces: "
                        + "use e.g. `openssl rand -hex 32`");
            }
            if (role == null || role == Role.ANONYMOUS) {
                throw new IllegalArgumentException("token '" + name + "' must grant VIEWER or OPERATOR, but was " + role
                        + ": anonymous access needs no token");
            }
            byte[] digest = sha256(secret);
            for (Token t : tokens) {
                if (t.name.equals(name)) {
                    throw new IllegalArgumentException("token name '" + name + "' is given twice: give each token its own name");
                }
                if (MessageDigest.isEqual(t.digest, digest)) {
                    throw new IllegalArgumentException("token '" + name + "' has the same secret as token '" + t.name
                            + "': give each role its own secret");
                }
            }
            tokens.add(new Token(name, digest, role));
            return this;
        }

        /** Adds the application's own authentication, tried before the bearer tokens. */
        public Builder authenticator(Authenticator value) {
            authenticators.add(Objects.requireNonNull(value, "authenticator must not be null"));
            return this;
        }

        /** Who sees the names of checks (default {@link Visibility#WHEN_AUTHORIZED}). */
        public Builder showComponents(Visibility value) {
            this.showComponents = Objects.requireNonNull(value, "showComponents must not be null: use Visibility.WHEN_AUTHORIZED");
            return this;
        }

        /** Who sees details and outputs (default {@link Visibility#WHEN_AUTHORIZED}). */
        public Builder showDetails(Visibility value) {
            this.showDetails = Objects.requireNonNull(value, "showDetails must not be null: use Visibility.WHEN_AUTHORIZED");
            return this;
        }

        /** Audit events for refused attempts per minute, 1 to 10000 (default {@value OpsAccess#DEFAULT_REFUSALS_PER_MINUTE}). */
        public Builder refusalsPerMinute(int value) {
            if (value < 1 || value > 10_000) {
                throw new IllegalArgumentException("refusalsPerMinute must be between 1 and 10000, but was " + value
                        + ": use e.g. 30");
            }
            this.refusalsPerMinute = value;
            return this;
        }

        /**
         * The access rules.
         *
         * @throws IllegalArgumentException when details would be shown to callers who may not see the names
         */
        public OpsAccess build() {
            if (showDetails.compareTo(showComponents) > 0) {
                throw new IllegalArgumentException("showDetails must not be wider than showComponents, but was "
                        + showDetails + " with showComponents " + showComponents
                        + ": widen showComponents too, or narrow showDetails");
            }
            return new OpsAccess(this);
        }
    }
}
