package io.opskit.core.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.LoggerConfig;

/** {@link LoggingSystem} over Log4j2's core; loaded only when log4j-core is present. */
final class Log4j2Levels implements LoggingSystem {

    private final LoggerContext context;

    Log4j2Levels(LoggerContext context) {
        this.context = context;
    }

    /** The backend when Log4j2's context is log4j-core's. */
    static Optional<LoggingSystem> ifCore() {
        Object ctx = LogManager.getContext(false);
        return ctx instanceof LoggerContext c ? Optional.of(new Log4j2Levels(c)) : Optional.empty();
    }

    @Override
    public String name() {
        return "log4j2";
    }

    @Override
    public Map<String, Levels> loggers() {
        Map<String, Levels> out = new LinkedHashMap<>();
        Configuration config = context.getConfiguration();
        out.put("ROOT", levels("ROOT"));
        for (String name : config.getLoggers().keySet()) {
            if (!name.isEmpty()) {
                out.put(name, levels(name));
            }
        }
        for (org.apache.logging.log4j.core.Logger l : context.getLoggers()) {
            out.putIfAbsent(l.getName().isEmpty() ? "ROOT" : l.getName(), levels(l.getName()));
        }
        return out;
    }

    @Override
    public Levels levels(String logger) {
        String name = "ROOT".equals(logger) ? "" : logger;
        LoggerConfig exact = context.getConfiguration().getLoggers().get(name);
        Optional<String> configured = Optional.ofNullable(exact).map(LoggerConfig::getLevel).map(Level::name);
        if (name.isEmpty()) {
            configured = Optional.of(context.getConfiguration().getRootLogger().getLevel().name());
        }
        return new Levels(configured, context.getLogger(name).getLevel().name());
    }

    @Override
    public void setLevel(String logger, String level) {
        String name = "ROOT".equals(logger) ? "" : logger;
        if (level == null && !name.isEmpty()) {
            Configuration config = context.getConfiguration();
            LoggerConfig exact = config.getLoggers().get(name);
            if (exact != null) {
                config.removeLogger(name);
                context.updateLoggers();
            }
            return;
        }
        Configurator.setLevel(name.isEmpty() ? LogManager.ROOT_LOGGER_NAME : name,
                level == null ? Level.INFO : Level.toLevel(level));
    }
}
