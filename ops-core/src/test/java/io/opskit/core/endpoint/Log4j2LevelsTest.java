package io.opskit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;

/** Log4j2 through log4j-core's own API (slf4j is bound to Logback in this module's tests). */
class Log4j2LevelsTest {

    @Test
    void setsReadsAndClearsALevel() {
        Log4j2Levels levels = new Log4j2Levels((LoggerContext) LogManager.getContext(false));
        String name = "io.opskit.log4j2.probe";
        assertThat(levels.levels(name).configured()).isEmpty();
        levels.setLevel(name, "DEBUG");
        assertThat(levels.levels(name).configured()).contains("DEBUG");
        assertThat(levels.levels(name).effective()).isEqualTo("DEBUG");
        assertThat(LogManager.getLogger(name).isDebugEnabled()).isTrue();
        assertThat(levels.loggers()).containsKey(name).containsKey("ROOT");
        levels.setLevel(name, null);
        assertThat(levels.levels(name).configured()).isEmpty();
        assertThat(LogManager.getLogger(name).isDebugEnabled()).isFalse();
    }
}
