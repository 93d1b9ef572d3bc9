package io.opskit.examples;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example's configuration, read from the environment. A bad value fails start-up with one
 * line naming the variable and what it accepts.
 *
 * @param port            {@code PORT}, default 8080 (0 picks a free port)
 * @param dbUrl           {@code OPS_DB_URL}; empty starts an embedded PostgreSQL
 * @param dbUser          {@code OPS_DB_USER}
 * @param dbPassword      {@code OPS_DB_PASSWORD}
 * @param redisUrl        {@code OPS_REDIS_URL}: {@code redis://…}; empty starts an embedded Redis; {@code none} runs without
 * @param redisEnabled    false when {@code OPS_REDIS_URL=none}
 * @param maintenance     {@code MAINTENANCE_MODE}
 * @param maintenanceSecret {@code OPS_MAINTENANCE_SECRET}
 * @param reaperIdle      {@code OPS_REAPER_IDLE}, default 5m
 * @param reaperInterval  {@code OPS_REAPER_INTERVAL}, default 30s
 * @param reaperDryRun    {@code OPS_REAPER_DRY_RUN}, default false
 * @param checkUrl        {@code OPS_CHECK_URL}
 * @param checkCa         {@code OPS_CHECK_CA}: a PEM file of certificates to trust for that dependency
 * @param checkInterval   {@code OPS_CHECK_INTERVAL}, default 5s
 * @param checkTimeout    {@code OPS_CHECK_TIMEOUT}, default 2s
 * @param showDetails     {@code OPS_SHOW_DETAILS} is {@code always}: anonymous callers too see check names and details
 *                        (default {@code when-authorized}: only viewer and operator tokens; see {@link ExampleAccess})
 * @param drain           {@code OPS_DRAIN}, default 5s
 * @param managementPort  {@code OPS_MANAGEMENT_PORT}, default 8081 (0 picks a free port); empty for {@code none}
 * @param httpThreads     {@code OPS_HTTP_THREADS}, default 200: the most threads serving the API on {@code PORT}
 * @param shutdownTimeout {@code OPS_SHUTDOWN_TIMEOUT}, default 20s: how long requests in flight may take to finish
 *                        once the drain is over and the server stopped accepting
 * @param dbQueryTimeout  {@code OPS_DB_QUERY_TIMEOUT}, default 15s: PostgreSQL's statement_timeout; the driver's
 *                        socket timeout is 5 s longer, so a frozen server cannot hold a thread for ever
 * @param alerting        {@code OPS_WEBHOOK_URL}, {@code OPS_WEBHOOK_SECRET} and {@code OPS_ALERTMANAGER_URL} as given
 */
public record ExampleConfig(int port, Optional<String> dbUrl, String dbUser, String dbPassword, Optional<String> redisUrl,
                            boolean redisEnabled, boolean maintenance, Optional<String> maintenanceSecret,
                            Duration reaperIdle, Duration reaperInterval, boolean reaperDryRun, Optional<URI> checkUrl,
                            Optional<Path> checkCa, Duration checkInterval, Duration checkTimeout, boolean showDetails,
                            Duration drain, Optional<Integer> managementPort, int httpThreads, Duration shutdownTimeout,
                            Duration dbQueryTimeout, Map<String, String> alerting) {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    /** Thrown for a bad value; its message is the one line to print. */
    public static final class BadConfig extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadConfig(String message) {
            super(message);
        }
    }

    /** Reads the configuration from an environment map. */
    public static ExampleConfig from(Map<String, String> env) {
        String redis = get(env, "OPS_REDIS_URL").orElse("");
        boolean redisEnabled = !"none".equalsIgnoreCase(redis);
        if (redisEnabled && !redis.isEmpty() && !(redis.startsWith("redis://") || redis.startsWith("rediss://"))) {
            throw new BadConfig("OPS_REDIS_URL must be redis://host:port, rediss://host:port or 'none', but was '"
                    + io.opskit.core.Redactor.redact(redis) + "'");
        }
        Optional<String> db = get(env, "OPS_DB_URL");
        if (db.isPresent() && !db.get().startsWith("jdbc:postgresql:")) {
            throw new BadConfig("OPS_DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), but was '"
                    + io.opskit.core.Redactor.redact(db.get()) + "'");
        }
        Optional<URI> checkUrl = get(env, "OPS_CHECK_URL").map(v -> {
            try {
                URI u = URI.create(v);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new IllegalArgumentException("not http(s)");
                }
                return u;
            } catch (IllegalArgumentException e) {
                throw new BadConfig("OPS_CHECK_URL must be an http:// or https:// URL with a host, but was '"
                        + io.opskit.core.Redactor.redact(v) + "'");
            }
        });
        Optional<Path> ca = get(env, "OPS_CHECK_CA").map(v -> {
            Path p = Path.of(v);
            if (!Files.isReadable(p)) {
                throw new BadConfig("OPS_CHECK_CA must be a readable PEM file of certificates, but '" + v + "' cannot be read");
            }
            return p;
        });
        String details = get(env, "OPS_SHOW_DETAILS").orElse("when-authorized").toLowerCase(Locale.ROOT);
        if (!details.equals("always") && !details.equals("never") && !details.equals("when-authorized")) {
            throw new BadConfig("OPS_SHOW_DETAILS must be 'when-authorized', 'always' or 'never', but was '" + details + "'");
        }
        Duration checkTimeout = duration(env, "OPS_CHECK_TIMEOUT", Duration.ofSeconds(2), false);
        Optional<String> secret = get(env, "OPS_MAINTENANCE_SECRET");
        if (secret.isPresent() && secret.get().length() < 16) {
            throw new BadConfig("OPS_MAINTENANCE_SECRET must be at least 16 characters, but has " + secret.get().length()
                    + ": use a long random value, e.g. from 'openssl rand -hex 16'");
        }
        int port = port(env, "PORT", "8080");
        Optional<Integer> management = "none".equalsIgnoreCase(get(env, "OPS_MANAGEMENT_PORT").orElse(""))
                ? Optional.empty() : Optional.of(port(env, "OPS_MANAGEMENT_PORT", "8081"));
        if (management.isPresent() && management.get() != 0 && management.get() == port) {
            throw new BadConfig("OPS_MANAGEMENT_PORT must differ from PORT (" + port + "): use another port, 0 for any "
                    + "free one, or 'none' to serve health and /ops/* on PORT");
        }
        int threads = integer(env, "OPS_HTTP_THREADS", 200, 8, 10_000);
        return new ExampleConfig(port, db, get(env, "OPS_DB_USER").orElse("postgres"),
                get(env, "OPS_DB_PASSWORD").orElse(""), redis.isEmpty() || !redisEnabled ? Optional.empty() : Optional.of(redis),
                redisEnabled, bool(env, "MAINTENANCE_MODE", false), secret,
                duration(env, "OPS_REAPER_IDLE", Duration.ofMinutes(5), false),
                duration(env, "OPS_REAPER_INTERVAL", Duration.ofSeconds(30), false), bool(env, "OPS_REAPER_DRY_RUN", false),
                checkUrl, ca, duration(env, "OPS_CHECK_INTERVAL", Duration.ofSeconds(5), false), checkTimeout,
                details.equals("always"), duration(env, "OPS_DRAIN", Duration.ofSeconds(5), true), management, threads,
                duration(env, "OPS_SHUTDOWN_TIMEOUT", Duration.ofSeconds(20), true),
                duration(env, "OPS_DB_QUERY_TIMEOUT", Duration.ofSeconds(15), false), alerting(env));
    }

    /** OPS_WEBHOOK_URL, OPS_WEBHOOK_SECRET and OPS_ALERTMANAGER_URL as given (checked where the sinks are built). */
    private static Map<String, String> alerting(Map<String, String> env) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String key : java.util.List.of("OPS_WEBHOOK_URL", "OPS_WEBHOOK_SECRET", "OPS_ALERTMANAGER_URL")) {
            get(env, key).ifPresent(v -> out.put(key, v));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static Optional<String> get(Map<String, String> env, String key) {
        String v = env.get(key);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    private static int port(Map<String, String> env, String key, String def) {
        String v = get(env, key).orElse(def);
        try {
            int p = Integer.parseInt(v);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new BadConfig(key + " must be a port number from 0 to 65535 (0 picks a free one)"
                    + ("PORT".equals(key) ? "" : " or 'none'") + ", but was '" + v + "'");
        }
    }

    private static int integer(Map<String, String> env, String key, int def, int min, int max) {
        Optional<String> v = get(env, key);
        if (v.isEmpty()) {
            return def;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadConfig(key + " must be a whole number from " + min + " to " + max + ", but was '" + v.get() + "'");
    }

    private static boolean bool(Map<String, String> env, String key, boolean def) {
        Optional<String> v = get(env, key);
        if (v.isEmpty()) {
            return def;
        }
        switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true":
                return true;
            case "false":
                return false;
            default:
                throw new BadConfig(key + " must be 'true' or 'false', but was '" + v.get() + "'");
        }
    }

    /** Parses {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT5M}). */
    static Duration duration(Map<String, String> env, String key, Duration def, boolean zeroAllowed) {
        Optional<String> v = get(env, key);
        if (v.isEmpty()) {
            return def;
        }
        Duration d = parseDuration(v.get());
        if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw new BadConfig(key + " must be a " + (zeroAllowed ? "" : "positive ")
                    + "duration like 500ms, 30s, 5m, 2h or ISO-8601 (PT5M), but was '" + v.get() + "'");
        }
        return d;
    }

    static Duration parseDuration(String text) {
        Matcher m = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            switch (m.group(2)) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                    return Duration.ofSeconds(n);
                case "m":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                default:
                    return Duration.ofDays(n);
            }
        }
        try {
            return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
