package io.opskit.core.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import org.junit.jupiter.api.Test;

class CpuLoadCheckTest {

    private static CpuLoadCheck fed(CpuLoadCheck.Builder builder, double process, double system) {
        return builder.sensor(() -> new CpuReading(process, system, 1.5, 4)).build();
    }

    @Test
    void realCpuLoadIsReportedWithProcessAndSystemDetails() {
        Result r = CpuLoadCheck.create().check();

        assertThat(r.status()).isIn(Status.PASS, Status.WARN);
        assertThat(r.details()).containsEntry("availableProcessors", Runtime.getRuntime().availableProcessors());
        if (r.observedValue().isPresent()) {
            assertThat((Double) r.observedValue().get()).isBetween(0.0, 100.0);
            assertThat(r.observedUnit()).contains("percent");
            assertThat(r.details().keySet()).containsAnyOf("processCpuPercent", "systemCpuPercent");
        } else {
            assertThat(r.output()).contains("CPU load is not reported by this JVM");
        }
    }

    @Test
    void warnsAtSeventyPercentOfProcessCpuByDefaultAndNeverFailsWithoutAFailThreshold() {
        assertThat(fed(CpuLoadCheck.builder(), 0.6999, 0.10).check().status()).isEqualTo(Status.PASS);
        assertThat(fed(CpuLoadCheck.builder(), 0.70, 0.10).check().status()).isEqualTo(Status.WARN);
        assertThat(fed(CpuLoadCheck.builder(), 1.0, 1.0).check().status()).isEqualTo(Status.WARN);
    }

    @Test
    void neighboursLoadingTheHostDoNotWarnByDefaultAndTheSystemLoadStaysInTheDetails() {
        Result r = fed(CpuLoadCheck.builder(), 0.01, 1.0).check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.observedValue()).contains(1.0);
        assertThat(r.output()).contains("process CPU load 1% (system 100%, not judged)");
        assertThat(r.details()).containsEntry("processCpuPercent", 1.0).containsEntry("systemCpuPercent", 100.0)
                .containsEntry("judges", "process");
        assertThat(CpuLoadCheck.create().judgesSystemCpu()).isFalse();
    }

    @Test
    void judgingSystemCpuIsOptInAndThenTheHigherOfProcessAndSystemLoadIsJudgedAndNamed() {
        Result r = fed(CpuLoadCheck.builder().judgeSystemCpu(true), 0.20, 0.85).check();

        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.observedValue()).contains(85.0);
        assertThat(r.output()).contains("system CPU load 85%, at or above 70%");
        assertThat(r.details()).containsEntry("processCpuPercent", 20.0).containsEntry("systemCpuPercent", 85.0)
                .containsEntry("systemLoadAverage", 1.5).containsEntry("availableProcessors", 4)
                .containsEntry("judges", "process and system");
        assertThat(fed(CpuLoadCheck.builder().judgeSystemCpu(true), 0.75, 0.10).check().output())
                .contains("process CPU load 75%, at or above 70%");
    }

    @Test
    void failsAtAConfiguredFailThreshold() {
        CpuLoadCheck.Builder b = CpuLoadCheck.builder().warnThreshold(50).failThreshold(90);

        assertThat(fed(b, 0.8999, 0.0).check().status()).isEqualTo(Status.WARN);
        assertThat(fed(b, 0.90, 0.0).check().status()).isEqualTo(Status.FAIL);
        assertThat(fed(b, 0.90, 0.0).check().output()).contains("process CPU load 90%, at or above 90%");
    }

    @Test
    void degradesToPassWhenTheJvmReportsNoLoad() {
        Result r = CpuLoadCheck.builder().sensor(() -> new CpuReading(-1, -1, -1, 2)).build().check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.output()).contains("CPU load is not reported by this JVM");
        assertThat(r.observedValue()).isEmpty();
    }

    @Test
    void withoutAProcessLoadTheSystemLoadIsShownButJudgedOnlyWhenAskedFor() {
        Result byDefault = fed(CpuLoadCheck.builder(), -1, 0.75).check();
        Result judged = fed(CpuLoadCheck.builder().judgeSystemCpu(true), -1, 0.75).check();

        assertThat(byDefault.status()).isEqualTo(Status.PASS);
        assertThat(byDefault.output()).get().asString().contains("process CPU load is not reported")
                .contains("system CPU load 75% is not judged");
        assertThat(byDefault.details()).doesNotContainKey("processCpuPercent").containsEntry("systemCpuPercent", 75.0);
        assertThat(judged.status()).isEqualTo(Status.WARN);
        assertThat(judged.details()).doesNotContainKey("processCpuPercent").containsEntry("systemCpuPercent", 75.0);
    }

    @Test
    void builderRejectsBadValuesNamingFieldValueAndFix() {
        assertThatThrownBy(() -> CpuLoadCheck.builder().warnThreshold(-3))
                .hasMessageContaining("warnThreshold").hasMessageContaining("-3.0").hasMessageContaining("use e.g. 70.0");
        assertThatThrownBy(() -> CpuLoadCheck.builder().failThreshold(150))
                .hasMessageContaining("failThreshold").hasMessageContaining("150.0").hasMessageContaining("use e.g. 95.0");
        assertThatThrownBy(() -> CpuLoadCheck.builder().warnThreshold(80).failThreshold(60).build())
                .hasMessageContaining("failThreshold").hasMessageContaining("60.0").hasMessageContaining("warnThreshold (80.0)");
    }

    @Test
    void registrationIsANonCriticalReadinessSystemCheckWithoutADefaultFailThreshold() {
        CpuLoadCheck check = CpuLoadCheck.create();

        CheckRegistration r = check.registration();

        assertThat(check.warnThreshold()).isEqualTo(CpuLoadCheck.DEFAULT_WARN_THRESHOLD).isEqualTo(70.0);
        assertThat(check.failThreshold()).isEmpty();
        assertThat(r.name()).isEqualTo("cpu:load");
        assertThat(r.componentType()).isEqualTo("system");
        assertThat(r.probes()).containsExactly(Probe.READINESS);
        assertThat(r.critical()).isFalse();
    }
}
