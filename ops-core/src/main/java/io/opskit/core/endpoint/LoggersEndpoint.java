package io.opskit.core.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.opskit.core.ActionEvent;
import io.opskit.core.Ops;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ops/loggers}: GET every logger's configured and effective level (viewers), GET
 * {@code /ops/loggers/{name}} one, POST {@code /ops/loggers/{name}}
 * {@code {"level":"DEBUG","duration":"PT10M"}} (operators) sets a level for a while only: the
 * revert to the level before is scheduled on {@link Ops#scheduler()} and happens by itself, also
 * when nobody remembers. A second POST to the same logger replaces the pending revert but keeps
 * the level to return to. Without Logback or Log4j2 every request answers 501.
 */
final class LoggersEndpoint implements OpsEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(LoggersEndpoint.class);
    private static final Map<String, Role> METHODS = Map.of("GET", Role.VIEWER, "POST", Role.OPERATOR);

    private final Ops ops;
    private final OpsSurfaceConfig config;
    private final Optional<LoggingSystem> system;
    /**
     * The time-boxed levels pending a revert, by logger: one map for the whole JVM, like the logging system
     * itself, so two surfaces (a servlet and a management server, or two {@code Ops}) never revert each
     * other's change: the later POST takes over the earlier one's revert and keeps its "before".
     */
    private static final Map<String, Pending> PENDING = new ConcurrentHashMap<>();

    LoggersEndpoint(Ops ops, OpsSurfaceConfig config, Optional<LoggingSystem> system) {
        this.ops = ops;
        this.config = config;
        this.system = system;
    }

    static LoggersEndpoint create(Ops ops, OpsSurfaceConfig config) {
        return new LoggersEndpoint(ops, config, LoggingSystem.detect());
    }

    @Override
    public String path() {
        return "/ops/loggers";
    }

    @Override
    public boolean servesSubPaths() {
        return true;
    }

    @Override
    public Map<String, Role> methods() {
        return METHODS;
    }

    @Override
    public EndpointResponse handle(OpsRequest request) {
        if (system.isEmpty()) {
            return OpsResponses.error(501, "no supported logging backend: opskit changes levels of Logback or Log4j2 "
                    + "(log4j-core); slf4j is bound to " + LoggerFactory.getILoggerFactory().getClass().getName());
        }
        LoggingSystem logging = system.get();
        String name = request.subPath();
        if (name.isEmpty()) {
            if ("POST".equals(request.method())) {
                return OpsResponses.error(400, "name the logger in the path: POST /ops/loggers/{name}");
            }
            Map<String, Object> loggers = new LinkedHashMap<>();
            logging.loggers().forEach((n, l) -> loggers.put(n, describe(n, l)));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("backend", logging.name());
            out.put("levels", LoggingSystem.LEVELS);
            out.put("loggers", loggers);
            return OpsResponses.json(200, out);
        }
        if (!name.matches("[A-Za-z0-9_$.-]{1,200}")) {
            return OpsResponses.error(400, "logger names are letters, digits, '.', '_', '$' and '-'");
        }
        if (!"POST".equals(request.method())) {
            return OpsResponses.json(200, describe(name, logging.levels(name)));
        }
        return set(request, logging, name);
    }

    private EndpointResponse set(OpsRequest request, LoggingSystem logging, String name) {
        JsonNode in;
        try {
            in = OpsResponses.mapper().readTree(request.body());
        } catch (IOException e) {
            in = null;
        }
        String usage = "body must be JSON like {\"level\":\"DEBUG\",\"duration\":\"PT10M\"}; levels "
                + LoggingSystem.LEVELS + ", duration up to " + config.loggerMaxDuration();
        if (in == null || !in.isObject() || !in.hasNonNull("level") || !in.get("level").isTextual()) {
            return OpsResponses.error(400, usage);
        }
        String level = in.get("level").asText().toUpperCase(Locale.ROOT);
        if (!LoggingSystem.LEVELS.contains(level)) {
            return OpsResponses.error(400, usage);
        }
        Duration duration = config.loggerDuration();
        if (in.hasNonNull("duration")) {
            try {
                duration = Duration.parse(in.get("duration").asText());
            } catch (DateTimeParseException e) {
                return OpsResponses.error(400, usage);
            }
            if (duration.isNegative() || duration.isZero() || duration.compareTo(config.loggerMaxDuration()) > 0) {
                return OpsResponses.error(400, usage);
            }
        }
        Duration d = duration;
        Instant revertAt = Instant.now().plus(d);
        synchronized (PENDING) {
            Pending before = PENDING.remove(name);
            Optional<String> previous = before != null ? before.previous : logging.levels(name).configured();
            if (before != null) {
                close(before.handle);
            }
            logging.setLevel(name, level);
            Pending p = new Pending(previous, revertAt, new AutoCloseable[1]);
            p.handle[0] = ops.scheduler().scheduleWithFixedDelay("opskit:logger-revert:" + name, d, Duration.ofDays(1),
                    () -> revert(logging, name, p));
            PENDING.put(name, p);
        }
        LOG.info("logger {} set to {} until {}", name, level, revertAt);
        return OpsResponses.json(200, describe(name, logging.levels(name)));
    }

    private void revert(LoggingSystem logging, String name, Pending p) {
        synchronized (PENDING) {
            if (!PENDING.remove(name, p)) {
                return;       // replaced by a later POST, whose revert takes over
            }
            logging.setLevel(name, p.previous.orElse(null));
            close(p.handle);
        }
        ops.events().publish(ActionEvent.of(Audit.SOURCE, "logger-revert", "logger " + name + " back to "
                + p.previous.orElse("inherited") + " after its time box", Map.of("logger", name,
                "level", p.previous.orElse("inherited"))));
    }

    private Map<String, Object> describe(String name, LoggingSystem.Levels levels) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        levels.configured().ifPresent(c -> m.put("configuredLevel", c));
        m.put("effectiveLevel", levels.effective());
        Pending p = PENDING.get(name);
        if (p != null) {
            m.put("revertsAt", p.revertAt.toString());
            m.put("revertsTo", p.previous.orElse("inherited"));
        }
        return m;
    }

    private static void close(AutoCloseable[] handle) {
        try {
            if (handle[0] != null) {
                handle[0].close();
            }
        } catch (Exception e) {
            LOG.warn("cancelling a logger revert failed: {}", e.toString());
        }
    }

    /** A level to restore, when, and the scheduled job that does it. */
    private record Pending(Optional<String> previous, Instant revertAt, AutoCloseable[] handle) {
    }
}
