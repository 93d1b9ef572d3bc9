package io.opskit.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BuilderValidationTest {

    private static final HealthCheck OK = Result::pass;

    @Test
    void blankNamesAreRejectedWithTheFix() {
        assertThatThrownBy(() -> CheckRegistration.builder(" ", OK)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("name must not be blank").hasMessageContaining("component:measurement");
    }

    @Test
    void aNameWithoutComponentAndMeasurementIsRejected() {
        assertThatThrownBy(() -> CheckRegistration.builder("postgres", OK)).hasMessageContaining("'postgres'")
                .hasMessageContaining("component:measurement");
        assertThatThrownBy(() -> CheckRegistration.builder("a:b:c", OK)).hasMessageContaining("'a:b:c'");
        assertThatThrownBy(() -> CheckRegistration.builder("bad name:x", OK)).hasMessageContaining("'bad name:x'");
    }

    @Test
    void zeroOrNegativeDurationsAreRejectedNamingTheField() {
        CheckRegistration.Builder b = CheckRegistration.builder("db:ping", OK);
        assertThatThrownBy(() -> b.timeout(Duration.ZERO)).hasMessageContaining("timeout of 'db:ping' must be positive, but was PT0S")
                .hasMessageContaining("Duration.ofSeconds");
        assertThatThrownBy(() -> b.interval(Duration.ofSeconds(-1))).hasMessageContaining("interval").hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> b.initialDelay(Duration.ofMillis(-5))).hasMessageContaining("initialDelay").hasMessageContaining("PT-0.005S");
        assertThatThrownBy(() -> b.timeout(null)).hasMessageContaining("timeout").hasMessageContaining("null");
    }

    @Test
    void thresholdsOutOfRangeAreRejected() {
        CheckRegistration.Builder b = CheckRegistration.builder("db:ping", OK);
        assertThatThrownBy(() -> b.failureThreshold(0)).hasMessageContaining("failureThreshold of 'db:ping' must be between 1 and 1000, but was 0");
        assertThatThrownBy(() -> b.successThreshold(1001)).hasMessageContaining("successThreshold").hasMessageContaining("1001");
        assertThatThrownBy(() -> b.probes(java.util.Set.of())).hasMessageContaining("probes").hasMessageContaining("LIVENESS");
        assertThatThrownBy(() -> b.componentType("")).hasMessageContaining("componentType");
    }

    @Test
    void duplicateNamesAreRejectedNamingTheDuplicate() {
        Ops.Builder b = Ops.builder().check("db:ping", OK);
        assertThatThrownBy(() -> b.check("db:ping", OK)).hasMessageContaining("'db:ping' is already registered");
        try (Ops ops = Ops.builder().check("db:ping", OK).build()) {
            assertThatThrownBy(() -> ops.register("db:ping", OK)).hasMessageContaining("'db:ping' is already registered");
            assertThatThrownBy(() -> ops.register("lifecycle:state", OK)).hasMessageContaining("reserved");
        }
    }

    @Test
    void opsSettingsOutOfRangeAreRejected() {
        assertThatThrownBy(() -> Ops.builder().threads(0)).hasMessageContaining("threads must be between 1 and 256, but was 0");
        assertThatThrownBy(() -> Ops.builder().historySize(-1)).hasMessageContaining("historySize").hasMessageContaining("-1");
        try (Ops ops = Ops.builder().build()) {
            assertThatThrownBy(() -> ops.drain(Duration.ofSeconds(-1))).hasMessageContaining("drain delay");
        }
    }
}
