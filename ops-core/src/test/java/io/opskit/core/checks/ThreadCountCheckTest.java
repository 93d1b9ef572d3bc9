package io.opskit.core.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import org.junit.jupiter.api.Test;

class ThreadCountCheckTest {

    @Test
    void realThreadCountPassesUnderGenerousThresholds() {
        Result r = ThreadCountCheck.create().check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.observedUnit()).contains("threads");
        assertThat((Integer) r.observedValue().orElseThrow()).isPositive();
        assertThat(r.details()).containsKeys("daemon", "peak").containsEntry("failThreshold", 2000);
    }

    @Test
    void realThreadCountWarnsAndFailsAtThresholdsOfOneThread() {
        assertThat(ThreadCountCheck.builder().warnThreshold(1).build().check().status()).isEqualTo(Status.WARN);
        assertThat(ThreadCountCheck.ofLimit(1).check().status()).isEqualTo(Status.FAIL);
        assertThat(ThreadCountCheck.ofLimit(1).check().output()).hasValueSatisfying(o -> assertThat(o).contains("at or above the limit of 1"));
    }

    @Test
    void thresholdsAreInclusive() {
        ThreadCountCheck check = ThreadCountCheck.builder().warnThreshold(80).failThreshold(100).build();

        assertThat(check.evaluate(79, 1, 79).status()).isEqualTo(Status.PASS);
        assertThat(check.evaluate(80, 1, 80).status()).isEqualTo(Status.WARN);
        assertThat(check.evaluate(99, 1, 99).status()).isEqualTo(Status.WARN);
        assertThat(check.evaluate(100, 1, 100).status()).isEqualTo(Status.FAIL);
        assertThat(check.evaluate(100, 1, 100).observedValue()).contains(100);
    }

    @Test
    void ofLimitWarnsAtEightyPercentOfTheLimit() {
        ThreadCountCheck check = ThreadCountCheck.ofLimit(500);

        assertThat(check.warnThreshold()).isEqualTo(400);
        assertThat(check.failThreshold()).isEqualTo(500);
    }

    @Test
    void builderRejectsBadValuesNamingFieldValueAndFix() {
        assertThatThrownBy(() -> ThreadCountCheck.builder().warnThreshold(0))
                .hasMessageContaining("warnThreshold").hasMessageContaining("but was 0").hasMessageContaining("use e.g. 1000");
        assertThatThrownBy(() -> ThreadCountCheck.ofLimit(-1))
                .hasMessageContaining("failThreshold").hasMessageContaining("but was -1");
        assertThatThrownBy(() -> ThreadCountCheck.builder().warnThreshold(300).failThreshold(200).build())
                .hasMessageContaining("warnThreshold").hasMessageContaining("300").hasMessageContaining("failThreshold (200)");
    }

    @Test
    void registrationIsANonCriticalReadinessSystemCheck() {
        CheckRegistration r = ThreadCountCheck.create().registration();

        assertThat(r.name()).isEqualTo("threads:count");
        assertThat(r.componentType()).isEqualTo("system");
        assertThat(r.probes()).containsExactly(Probe.READINESS);
        assertThat(r.critical()).isFalse();
    }
}
