package io.opskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opskit.core.Status;
import io.opskit.core.StatusChangeEvent;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class EventHubTest {

    @Test
    void aFirstResultThatPassesIsLoggedAtDebugAndEveryOtherChangeAtInfoOrWarn() {
        Logger logger = (Logger) LoggerFactory.getLogger("io.opskit.events");
        Level before = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        try (EventHub hub = new EventHub(10)) {
            Instant now = Instant.now();
            hub.statusChanged(new StatusChangeEvent("db:connection", Optional.empty(), Status.PASS, "", now));
            hub.statusChanged(new StatusChangeEvent("redis:memory", Optional.empty(), Status.WARN, "90% used", now));
            hub.statusChanged(new StatusChangeEvent("db:connection", Optional.of(Status.PASS), Status.FAIL, "refused", now));
            hub.statusChanged(new StatusChangeEvent("db:connection", Optional.of(Status.FAIL), Status.PASS, "", now));
            assertThat(appender.list).extracting(e -> e.getLevel() + " " + e.getFormattedMessage()).containsExactly(
                    "DEBUG health db:connection pending -> pass",
                    "WARN health redis:memory pending -> warn: 90% used",
                    "WARN health db:connection pass -> fail: refused",
                    "INFO health db:connection fail -> pass");
            assertThat(hub.history()).hasSize(4);
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(before);
        }
    }
}
