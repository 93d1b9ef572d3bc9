package io.opskit.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.Attachment;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Status;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MaintenanceMetricsTest {

    @Test
    void enabledGaugeFollowsTheModeAndIsRemovedOnClose() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MaintenanceMode mode = MaintenanceMode.builder().ignoreEnvironment().build();
             MaintenanceMetrics metrics = MaintenanceMetrics.of(mode)) {
            metrics.bindTo(registry);
            assertThat(registry.get("opskit.maintenance.enabled").gauge().value()).isEqualTo(0.0);
            mode.enable("db upgrade");
            assertThat(registry.get("opskit.maintenance.enabled").gauge().value()).isEqualTo(1.0);
            mode.disable();
            assertThat(registry.get("opskit.maintenance.enabled").gauge().value()).isEqualTo(0.0);
            metrics.close();
            assertThat(registry.find("opskit.maintenance.enabled").gauge()).isNull();
        }
    }

    @Test
    void attachingTheModeRegistersItsCheckAndGaugeAndDetachingRemovesThem() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MaintenanceMode mode = MaintenanceMode.builder().ignoreEnvironment().build();
             Ops ops = Ops.builder().meterRegistry(registry).bindJvmMetrics(false).build()) {
            Attachment attachment = ops.attach(mode);
            assertThat(attachment.checks()).containsExactly(MaintenanceMode.CHECK_NAME);
            CheckRegistration check = ops.registrations().get(0);
            assertThat(check.critical()).isFalse();
            assertThat(check.interval()).isEqualTo(MaintenanceMode.CHECK_INTERVAL);
            mode.enable("db upgrade");
            assertThat(registry.get("opskit.maintenance.enabled").gauge().value()).isEqualTo(1.0);
            assertThat(ops.refresh(MaintenanceMode.CHECK_NAME).get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.WARN);

            attachment.close();
            assertThat(ops.registrations()).isEmpty();
            assertThat(registry.find("opskit.maintenance.enabled").gauge()).isNull();
            assertThat(mode.isEnabled()).isTrue();
        }
    }
}
