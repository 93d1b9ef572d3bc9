package io.opskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmMetricsTest {

    @Test
    void opsBindsMicrometersJvmAndProcessBindersByDefault() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Ops ignored = Ops.builder().meterRegistry(registry).build()) {
            assertThat(registry.find("jvm.memory.used").gauges()).isNotEmpty();
            assertThat(registry.find("jvm.gc.memory.allocated").counter()).isNotNull();
            assertThat(registry.find("jvm.threads.live").gauge()).isNotNull();
            assertThat(registry.find("jvm.classes.loaded").gauge()).isNotNull();
            assertThat(registry.find("process.cpu.usage").gauge()).isNotNull();
            assertThat(registry.find("process.uptime").timeGauge()).isNotNull();
            if (System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
                assertThat(registry.find("process.files.open").gauge()).isNotNull();
            }
        }
    }

    @Test
    void bindJvmMetricsFalseBindsNone() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Ops ignored = Ops.builder().meterRegistry(registry).bindJvmMetrics(false).build()) {
            assertThat(registry.find("jvm.memory.used").meters()).isEmpty();
            assertThat(registry.find("process.uptime").meters()).isEmpty();
        }
    }

    @Test
    void bindingTwiceOrBesideAnOpsDoesNotDuplicateAnyMeter() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Ops ops = Ops.builder().meterRegistry(registry).build(); JvmMetrics again = JvmMetrics.create()) {
            List<Meter.Id> before = ids(registry);
            again.bindTo(registry);
            again.bindTo(registry);
            JvmMetrics.create().bindTo(ops.meterRegistry());
            assertThat(ids(registry)).containsExactlyInAnyOrderElementsOf(before).doesNotHaveDuplicates();
        }
    }

    @Test
    void aGcBinderTheApplicationBoundItselfIsNotBoundAgain() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (JvmGcMetrics own = new JvmGcMetrics(); JvmMetrics jvm = JvmMetrics.create()) {
            own.bindTo(registry);
            double allocated = registry.get("jvm.gc.memory.allocated").counter().count();
            jvm.bindTo(registry);
            assertThat(registry.find("jvm.memory.used").gauges()).isNotEmpty();
            assertThat(registry.find("jvm.gc.memory.allocated").counters()).hasSize(1);
            assertThat(registry.get("jvm.gc.memory.allocated").counter().count()).isGreaterThanOrEqualTo(allocated);
        }
    }

    @Test
    void aClosedBinderRefusesToBindAndClosingTwiceIsHarmless() {
        JvmMetrics jvm = JvmMetrics.create();
        MeterRegistry registry = new SimpleMeterRegistry();
        jvm.bindTo(registry);
        jvm.close();
        jvm.close();
        assertThatIllegalStateException().isThrownBy(() -> jvm.bindTo(new SimpleMeterRegistry()))
                .withMessageContaining("closed");
    }

    private static List<Meter.Id> ids(MeterRegistry registry) {
        return registry.getMeters().stream().map(Meter::getId).toList();
    }
}
