package io.opskit.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.opskit.core.maintenance.MaintenanceConfig;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {

    @Test
    void httpMetricsConfigRejectsBadCapsAndPercentiles() {
        assertThatIllegalArgumentException().isThrownBy(() -> HttpMetricsConfig.builder().maxUriTags(0))
                .withMessage("maxUriTags must be between 1 and 10000, but was 0: use e.g. 100");
        assertThatIllegalArgumentException().isThrownBy(() -> HttpMetricsConfig.builder().percentiles(0.95, 1.0))
                .withMessage("percentiles must each be between 0 and 1 (exclusive), but was 1.0: use e.g. 0.95");
        assertThat(HttpMetricsConfig.DEFAULT.percentiles()).containsExactly(0.5, 0.95, 0.99);
    }

    @Test
    void servletConfigRejectsBadPaths() {
        assertThatIllegalArgumentException().isThrownBy(() -> OpsServletConfig.builder().healthPath("health/"))
                .withMessage("healthPath must be a path like /health (starting with '/', no trailing '/', no wildcards),"
                        + " but was 'health/': use e.g. \"/health\"");
        assertThatIllegalArgumentException().isThrownBy(() -> OpsServletConfig.builder().metricsPath("/metrics/*"))
                .withMessageContaining("metricsPath must be a path like /metrics");
    }

    @Test
    void aMaintenanceConfigThatWouldBlockTheProbesIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> OpsServletConfig.builder().healthPath("/ops/health").build())
                .withMessageContaining("maintenanceConfig must let healthPath through, but /ops/health is blocked")
                .withMessageContaining("passThrough(\"/ops/health\")");
        OpsServletConfig moved = OpsServletConfig.builder().healthPath("/ops/health")
                .maintenanceConfig(MaintenanceConfig.builder().passThrough("/ops/health").build()).build();
        assertThat(moved.healthPath()).isEqualTo("/ops/health");
        assertThat(OpsServletConfig.builder().healthPath("/ops/health").maintenance(false).build().maintenance()).isFalse();
    }
}
