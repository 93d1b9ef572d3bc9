package io.opskit.core.endpoint;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The logging backend behind slf4j, as far as {@code /ops/loggers} needs it: read and set
 * levels. Logback and Log4j2 are supported when present (optional dependencies of ops-core); the
 * classes that touch them are loaded only when that backend is the one in use.
 */
interface LoggingSystem {

    /** The levels a logger can be set to, most verbose first. */
    List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF");

    /** The name of the backend, e.g. {@code logback}. */
    String name();

    /** Every logger known now: name to levels. */
    Map<String, Levels> loggers();

    /** One logger's levels. */
    Levels levels(String logger);

    /** Sets a logger's configured level; {@code null} clears it (the logger then inherits). */
    void setLevel(String logger, String level);

    /**
     * A logger's levels.
     *
     * @param configured the level set on it, if any
     * @param effective  the level in force (set or inherited)
     */
    record Levels(Optional<String> configured, String effective) {
    }

    /** The backend in use, or empty when it is neither Logback nor Log4j2. */
    static Optional<LoggingSystem> detect() {
        String factory = LoggerFactory.getILoggerFactory().getClass().getName();
        try {
            if (factory.equals("ch.qos.logback.classic.LoggerContext")) {
                return Optional.of(new LogbackLevels());
            }
            if (factory.startsWith("org.apache.logging.slf4j.") && present("org.apache.logging.log4j.core.LoggerContext")) {
                return Log4j2Levels.ifCore();
            }
        } catch (LinkageError e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, LoggingSystem.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
