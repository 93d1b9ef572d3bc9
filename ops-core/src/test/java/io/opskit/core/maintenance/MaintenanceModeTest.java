package io.opskit.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class MaintenanceModeTest {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(MaintenanceMode.class);
    private final List<MaintenanceMode> modes = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeEach
    void captureLogs() {
        logs.start();
        logger.addAppender(logs);
    }

    @AfterEach
    void tearDown() {
        logger.detachAppender(logs);
        modes.forEach(MaintenanceMode::close);
    }

    private MaintenanceMode track(MaintenanceMode mode) {
        modes.add(mode);
        return mode;
    }

    @Test
    void programmaticChangesReachListenersInOrderAndAFailingListenerIsSkipped() {
        MaintenanceMode mode = track(MaintenanceMode.builder().ignoreEnvironment().build());
        List<String> seen = new ArrayList<>();
        mode.onChange((before, after) -> {
            throw new IllegalStateException("listener boom");
        });
        mode.onChange((before, after) -> seen.add(before.enabled() + "->" + after.enabled() + ":" + after.reason()));
        mode.enable("upgrade", Duration.ofMinutes(2));
        mode.disable();
        assertThat(seen).containsExactly("false->true:upgrade", "true->false:");
        assertThat(mode.isEnabled()).isFalse();
        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .contains("listener").contains("failed and was skipped").contains("listener boom"));
    }

    @Test
    void theHealthCheckPassesWhileOffAndWarnsWithTheReasonWhileOn() throws Exception {
        MaintenanceMode mode = track(MaintenanceMode.builder().ignoreEnvironment().build());
        assertThat(mode.healthCheck().check().status()).isEqualTo(Status.PASS);
        mode.enable("upgrade", Duration.ofMinutes(5));
        Result on = mode.healthCheck().check();
        assertThat(on.status()).isEqualTo(Status.WARN);
        assertThat(on.output()).contains("maintenance mode on: upgrade");
        assertThat(on.details()).containsKeys("source", "since", "expectedEnd");
    }

    @Test
    void repeatingTheCurrentStateIsNotAChange() {
        MaintenanceMode mode = track(MaintenanceMode.builder().ignoreEnvironment().build());
        List<Boolean> seen = new ArrayList<>();
        mode.onChange((before, after) -> seen.add(after.enabled()));
        mode.enable("upgrade");
        mode.enable("upgrade");
        mode.enable("upgrade, part 2");
        mode.disable();
        mode.disable();
        assertThat(seen).containsExactly(true, true, false);
    }

    @Test
    void expectedDurationDrivesRetryAfter() {
        MaintenanceMode mode = track(MaintenanceMode.builder().ignoreEnvironment().build());
        mode.enable("upgrade", Duration.ofMinutes(2));
        assertThat(mode.retryAfterSeconds()).hasValueSatisfying(s -> assertThat(s).isBetween(119L, 120L));
        assertThat(mode.state().source()).isEqualTo(MaintenanceMode.SOURCE_PROGRAMMATIC);
        assertThatIllegalArgumentException().isThrownBy(() -> mode.enable("x", Duration.ZERO))
                .withMessage("expectedDuration must be positive, but was PT0S: use e.g. Duration.ofMinutes(15)");
    }

    @Test
    void environmentIsReadAtStartAndOnDemand() {
        Map<String, String> env = new HashMap<>(Map.of("MAINTENANCE_MODE", "TRUE"));
        MaintenanceMode mode = track(MaintenanceMode.builder().environment(env::get).build());
        mode.start();
        assertThat(mode.isEnabled()).isTrue();
        assertThat(mode.state().source()).isEqualTo(MaintenanceMode.SOURCE_ENVIRONMENT);
        env.put("MAINTENANCE_MODE", "false");
        assertThat(mode.refreshFromEnvironment()).contains(false);
        assertThat(mode.isEnabled()).isFalse();
        env.remove("MAINTENANCE_MODE");
        assertThat(mode.refreshFromEnvironment()).isEmpty();
    }

    @Test
    void aBadEnvironmentValueFailsStartWithTheVariableAndTheFix() {
        MaintenanceMode mode = track(MaintenanceMode.builder().environment(Map.of("MAINTENANCE_MODE", "yes")::get).build());
        assertThatIllegalStateException().isThrownBy(mode::start)
                .withMessage("MAINTENANCE_MODE must be true or false, but was 'yes':"
                        + " set MAINTENANCE_MODE=true to switch maintenance mode on");
    }

    @Test
    void aReasonWrittenAfterTheFlagFileWasTouchedReplacesTheDefaultReason() throws Exception {
        Path flag = dir.resolve("touched");
        MaintenanceMode mode = track(MaintenanceMode.builder().ignoreEnvironment().flagFile(flag)
                .pollInterval(Duration.ofMillis(20)).build());
        mode.start();
        Files.createFile(flag);
        await().atMost(Duration.ofSeconds(5)).until(mode::isEnabled);
        assertThat(mode.state().reason()).startsWith("maintenance (flag file");
        Files.writeString(flag, "switching racks");
        await().atMost(Duration.ofSeconds(5)).until(() -> mode.state().reason().equals("switching racks"));
        assertThat(mode.isEnabled()).isTrue();
    }

    @Test
    void theFlagFileSwitchesMaintenanceOnAndOffWithoutARestart() throws Exception {
        Path flag = dir.resolve("maintenance");
        MaintenanceMode mode = track(MaintenanceMode.builder().ignoreEnvironment().flagFile(flag)
                .pollInterval(Duration.ofMillis(20)).build());
        mode.start();
        assertThat(mode.isEnabled()).isFalse();
        Files.writeString(flag, "disk replacement\nignored second line");
        await().atMost(Duration.ofSeconds(5)).until(mode::isEnabled);
        assertThat(mode.state().reason()).isEqualTo("disk replacement");
        assertThat(mode.state().source()).isEqualTo(MaintenanceMode.SOURCE_FILE);
        Files.delete(flag);
        await().atMost(Duration.ofSeconds(5)).until(() -> !mode.isEnabled());
    }

    @Test
    void closeStopsThePollerThread() throws Exception {
        MaintenanceMode mode = MaintenanceMode.builder().ignoreEnvironment().flagFile(dir.resolve("flag"))
                .pollInterval(Duration.ofMillis(20)).build();
        mode.start();
        assertThat(pollerThreads()).isPositive();
        mode.close();
        // the executor has terminated when close() returns, but its worker thread may take a moment to die
        await().atMost(Duration.ofSeconds(5)).until(() -> pollerThreads() == 0);
    }

    private static long pollerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("opskit-maintenance-flag-file") && t.isAlive()).count();
    }

    @Test
    void aSharedStoreCarriesProgrammaticChangesToOtherInstances() {
        InMemoryStore store = new InMemoryStore();
        MaintenanceMode first = track(MaintenanceMode.builder().ignoreEnvironment().store(store).build());
        MaintenanceMode second = track(MaintenanceMode.builder().ignoreEnvironment().store(store).build());
        first.start();
        second.start();
        List<MaintenanceState> secondSaw = new ArrayList<>();
        second.onChange((before, after) -> secondSaw.add(after));
        first.enable("fleet upgrade", Duration.ofMinutes(5));
        assertThat(second.isEnabled()).isTrue();
        assertThat(second.state().reason()).isEqualTo("fleet upgrade");
        second.disable();
        assertThat(first.isEnabled()).isFalse();
        assertThat(secondSaw).extracting(MaintenanceState::enabled).containsExactly(true, false);
        first.close();
        second.close();
        assertThat(store.subscribers()).isZero();
    }

    @Test
    void anInstanceStartingDuringFleetMaintenanceStartsInMaintenance() {
        InMemoryStore store = new InMemoryStore();
        store.write(MaintenanceState.on("already on", Optional.empty(), "redis"));
        MaintenanceMode late = track(MaintenanceMode.builder().ignoreEnvironment().store(store).build());
        late.start();
        assertThat(late.isEnabled()).isTrue();
        assertThat(late.state().source()).isEqualTo("redis");
    }

    @Test
    void aReasonCannotForgeALogLineNorLeakASecret() {
        MaintenanceMode mode = track(MaintenanceMode.builder().ignoreEnvironment().build());

        mode.enable("db upgrade\r\nINFO all clear \u001b[2J\u2028 password=hunter2");

        assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                .startsWith("maintenance mode ON (source programmatic): db upgrade\\r\\nINFO all clear \\u001b[2J\\u2028")
                .doesNotContain("\n").doesNotContain("\r").doesNotContain("\u001b").doesNotContain("\u2028")
                .doesNotContain("hunter2"));
    }

    @Test
    void builderRejectsBadSettings() {
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceMode.builder().pollInterval(Duration.ofMillis(1)))
                .withMessage("pollInterval must be between 10ms and 1h, but was PT0.001S: use e.g. Duration.ofSeconds(1)");
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceMode.builder().environmentVariable("A-B"))
                .withMessageContaining("environmentVariable must be a variable name, but was 'A-B'");
    }
}
