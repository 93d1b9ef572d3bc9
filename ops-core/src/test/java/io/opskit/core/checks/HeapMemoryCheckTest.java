package io.opskit.core.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import org.junit.jupiter.api.Test;

class HeapMemoryCheckTest {

    @Test
    void realHeapIsReportedAsAPercentageWithItsBasis() {
        Result r = HeapMemoryCheck.builder().warnThreshold(100).failThreshold(100).build().check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.observedUnit()).contains("percent");
        assertThat((Double) r.observedValue().orElseThrow()).isGreaterThan(0.0).isLessThan(100.0);
        assertThat(r.details()).containsKeys("usedBytes", "maxBytes", "currentUsedBytes");
        assertThat(r.details().get("basis")).isIn("after-gc", "current");
    }

    @Test
    void realHeapAboveATinyThresholdWarns() {
        Result r = HeapMemoryCheck.builder().warnThreshold(0.0001).failThreshold(100).build().check();

        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).startsWith("heap ").contains("at or above 0"));
    }

    @Test
    void realHeapAboveATinyFailThresholdFails() {
        Result r = HeapMemoryCheck.builder().warnThreshold(0.0001).failThreshold(0.0001).build().check();

        assertThat(r.status()).isEqualTo(Status.FAIL);
    }

    @Test
    void afterAGarbageCollectionTheHeapAfterGcIsJudgedWhereTheJvmReportsIt() {
        System.gc(); // a real collection so the pools report their use after GC (a no-op only with -XX:+DisableExplicitGC)

        Result preferred = HeapMemoryCheck.create().check();
        Result current = HeapMemoryCheck.builder().preferAfterGc(false).build().check();

        assertThat(preferred.details().get("basis")).isEqualTo("after-gc");
        assertThat(preferred.output()).hasValueSatisfying(o -> assertThat(o).contains("after the last GC"));
        assertThat(current.details().get("basis")).isEqualTo("current");
    }

    @Test
    void defaultThresholdsWarnAtEightyAndFailAtNinetyPercent() {
        HeapMemoryCheck check = HeapMemoryCheck.create();

        assertThat(check.evaluate(7999, 10_000, true, 9000).status()).isEqualTo(Status.PASS);
        assertThat(check.evaluate(80, 100, true, 90).status()).isEqualTo(Status.WARN);
        assertThat(check.evaluate(8999, 10_000, false, 8999).status()).isEqualTo(Status.WARN);
        assertThat(check.evaluate(90, 100, false, 90).status()).isEqualTo(Status.FAIL);
        assertThat(check.evaluate(90, 100, false, 90).observedValue()).contains(90.0);
        assertThat(check.evaluate(1, 0, false, 1).status()).isEqualTo(Status.WARN);
    }

    @Test
    void builderRejectsBadValuesNamingFieldValueAndFix() {
        assertThatThrownBy(() -> HeapMemoryCheck.builder().warnThreshold(0))
                .hasMessageContaining("warnThreshold").hasMessageContaining("0.0").hasMessageContaining("use e.g. 80.0");
        assertThatThrownBy(() -> HeapMemoryCheck.builder().failThreshold(101))
                .hasMessageContaining("failThreshold").hasMessageContaining("101.0").hasMessageContaining("use e.g. 90.0");
        assertThatThrownBy(() -> HeapMemoryCheck.builder().warnThreshold(95).failThreshold(90).build())
                .hasMessageContaining("warnThreshold").hasMessageContaining("95.0").hasMessageContaining("failThreshold (90.0)");
    }

    @Test
    void registrationIsANonCriticalReadinessSystemCheck() {
        HeapMemoryCheck check = HeapMemoryCheck.create();

        CheckRegistration r = check.registration();

        assertThat(check.warnThreshold()).isEqualTo(HeapMemoryCheck.DEFAULT_WARN_THRESHOLD).isEqualTo(80.0);
        assertThat(check.failThreshold()).isEqualTo(HeapMemoryCheck.DEFAULT_FAIL_THRESHOLD).isEqualTo(90.0);
        assertThat(r.name()).isEqualTo("memory:heap");
        assertThat(r.componentType()).isEqualTo("system");
        assertThat(r.probes()).containsExactly(Probe.READINESS);
        assertThat(r.critical()).isFalse();
    }
}
