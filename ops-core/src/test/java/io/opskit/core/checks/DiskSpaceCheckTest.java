package io.opskit.core.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceCheckTest {

    @TempDir
    Path dir;

    @Test
    void realPathWithLenientThresholdsPassesAndReportsFreePercentAndBytes() throws Exception {
        Result r = DiskSpaceCheck.builder(dir).warnBelowFreePercent(0).failBelowFreePercent(0).failBelowFreeBytes(0).build().check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.observedUnit()).contains("percent");
        assertThat((Double) r.observedValue().orElseThrow()).isBetween(0.0, 100.0);
        assertThat(r.details()).containsEntry("path", dir.toString()).containsKeys("freeBytes", "totalBytes");
        assertThat((Long) r.details().get("freeBytes")).isPositive().isLessThanOrEqualTo((Long) r.details().get("totalBytes"));
    }

    @Test
    void realPathWarnsWhenTheWarnThresholdIsAHundredPercent() throws Exception {
        Result r = DiskSpaceCheck.builder(dir).warnBelowFreePercent(100).failBelowFreePercent(0).failBelowFreeBytes(0).build().check();

        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("free on " + dir).contains("under 100%"));
    }

    @Test
    void realPathFailsUnderAByteFloorLargerThanAnyDisk() throws Exception {
        Result r = DiskSpaceCheck.builder(dir).warnBelowFreePercent(0).failBelowFreePercent(0).failBelowFreeBytes(Long.MAX_VALUE).build().check();

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("under the floor of"));
    }

    @Test
    void aMissingPathFailsNamingThePath() throws Exception {
        Path missing = dir.resolve("not-there");

        Result r = DiskSpaceCheck.of(missing).check();

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.output()).contains("path " + missing + " does not exist");
    }

    @Test
    void defaultThresholdsWarnUnderTwentyAndFailUnderFivePercentFree() {
        DiskSpaceCheck check = DiskSpaceCheck.builder(dir).failBelowFreeBytes(0).build();

        assertThat(check.evaluate(20, 100).status()).isEqualTo(Status.PASS);
        assertThat(check.evaluate(1999, 10_000).status()).isEqualTo(Status.WARN);
        assertThat(check.evaluate(5, 100).status()).isEqualTo(Status.WARN);
        assertThat(check.evaluate(499, 10_000).status()).isEqualTo(Status.FAIL);
        assertThat(check.evaluate(0, 100).status()).isEqualTo(Status.FAIL);
        assertThat(check.evaluate(499, 10_000).observedValue()).contains(4.99);
    }

    @Test
    void theByteFloorFailsEvenWhenThePercentageIsFine() {
        DiskSpaceCheck check = DiskSpaceCheck.builder(dir).failBelowFreeBytes(1000).build();

        assertThat(check.evaluate(999, 1000).status()).isEqualTo(Status.FAIL);
        assertThat(check.evaluate(1000, 1000).status()).isEqualTo(Status.PASS);
    }

    @Test
    void anUnknownTotalSizeIsAWarningNotADivisionByZero() {
        assertThat(DiskSpaceCheck.of(dir).evaluate(0, 0).status()).isEqualTo(Status.WARN);
    }

    @Test
    void builderRejectsBadValuesNamingFieldValueAndFix() {
        assertThatThrownBy(() -> DiskSpaceCheck.builder(dir).warnBelowFreePercent(120))
                .hasMessageContaining("warnBelowFreePercent").hasMessageContaining("120.0").hasMessageContaining("use e.g.");
        assertThatThrownBy(() -> DiskSpaceCheck.builder(dir).failBelowFreePercent(-1))
                .hasMessageContaining("failBelowFreePercent").hasMessageContaining("-1.0");
        assertThatThrownBy(() -> DiskSpaceCheck.builder(dir).failBelowFreePercent(Double.NaN))
                .hasMessageContaining("failBelowFreePercent").hasMessageContaining("NaN");
        assertThatThrownBy(() -> DiskSpaceCheck.builder(dir).failBelowFreeBytes(-5))
                .hasMessageContaining("failBelowFreeBytes").hasMessageContaining("-5").hasMessageContaining("use e.g.");
        assertThatThrownBy(() -> DiskSpaceCheck.builder(dir).warnBelowFreePercent(10).failBelowFreePercent(30).build())
                .hasMessageContaining("failBelowFreePercent").hasMessageContaining("30.0").hasMessageContaining("warnBelowFreePercent");
        assertThatThrownBy(() -> DiskSpaceCheck.builder(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("path");
    }

    @Test
    void defaultsAreThePublishedConstants() {
        DiskSpaceCheck check = DiskSpaceCheck.of(dir);

        assertThat(check.path()).isEqualTo(dir);
        assertThat(check.warnBelowFreePercent()).isEqualTo(DiskSpaceCheck.DEFAULT_WARN_BELOW_FREE_PERCENT).isEqualTo(20.0);
        assertThat(check.failBelowFreePercent()).isEqualTo(DiskSpaceCheck.DEFAULT_FAIL_BELOW_FREE_PERCENT).isEqualTo(5.0);
        assertThat(check.failBelowFreeBytes()).isEqualTo(DiskSpaceCheck.DEFAULT_FAIL_BELOW_FREE_BYTES);
    }

    @Test
    void registrationIsACriticalReadinessSystemCheckNamedPerPath() {
        DiskSpaceCheck check = DiskSpaceCheck.of(dir);

        CheckRegistration byDefault = check.registration();
        CheckRegistration named = check.registration("disk:data");

        assertThat(byDefault.name()).isEqualTo("disk:space");
        assertThat(byDefault.componentType()).isEqualTo("system");
        assertThat(byDefault.probes()).containsExactly(Probe.READINESS);
        assertThat(byDefault.critical()).isTrue();
        assertThat(byDefault.check()).isSameAs(check);
        assertThat(named.name()).isEqualTo("disk:data");
        assertThatThrownBy(() -> check.registration("data")).hasMessageContaining("component:measurement").hasMessageContaining("'data'");
    }
}
