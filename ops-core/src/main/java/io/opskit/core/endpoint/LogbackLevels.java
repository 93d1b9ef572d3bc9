package io.opskit.core.endpoint;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/** {@link LoggingSystem} over Logback; loaded only when Logback is slf4j's backend. */
final class LogbackLevels implements LoggingSystem {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

    @Override
    public String name() {
        return "logback";
    }

    @Override
    public Map<String, Levels> loggers() {
        Map<String, Levels> out = new LinkedHashMap<>();
        for (Logger l : context.getLoggerList()) {
            out.put(l.getName(), levels(l));
        }
        return out;
    }

    @Override
    public Levels levels(String logger) {
        return levels(context.getLogger(logger));
    }

    @Override
    public void setLevel(String logger, String level) {
        context.getLogger(logger).setLevel(level == null ? null : Level.toLevel(level));
    }

    private static Levels levels(Logger l) {
        return new Levels(Optional.ofNullable(l.getLevel()).map(Level::toString), l.getEffectiveLevel().toString());
    }
}
