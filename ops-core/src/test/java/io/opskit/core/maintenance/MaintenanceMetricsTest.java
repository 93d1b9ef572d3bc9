package io.opskit.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
}
