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

    @Test
    void excludedMetricsPathsAreValidatedAndTheHealthAndMetricsPathsAlwaysExcluded() {
        assertThatIllegalArgumentException().isThrownBy(() -> HttpMetricsConfig.builder().excludePaths("health"))
                .withMessageContaining("excludePaths").withMessageContaining("'health'").withMessageContaining("/internal");
        assertThatIllegalArgumentException().isThrownBy(() -> HttpMetricsConfig.builder().excludePaths("/"))
                .withMessageContaining("'/'").withMessageContaining("httpMetrics(false)");
        assertThatIllegalArgumentException().isThrownBy(() -> HttpMetricsConfig.builder().excludePaths("/api/*"))
                .withMessageContaining("'/api/*'");

        HttpMetricsConfig defaults = HttpMetricsConfig.DEFAULT;
        assertThat(defaults.isExcluded("/health/ready")).isTrue();
        assertThat(defaults.isExcluded("/metrics")).isTrue();
        assertThat(defaults.isExcluded("/ops/events")).isTrue();
        assertThat(defaults.isExcluded("/livez")).isTrue();
        assertThat(defaults.isExcluded("/healthcare")).isFalse();
        assertThat(defaults.isExcluded("/api/orders")).isFalse();
        assertThat(HttpMetricsConfig.builder().excludePaths().build().isExcluded("/health")).isFalse();

        OpsServletConfig moved = OpsServletConfig.builder().healthPath("/status").metricsPath("/prometheus")
                .maintenanceConfig(MaintenanceConfig.builder().passThrough("/status", "/prometheus").build())
                .httpMetricsConfig(HttpMetricsConfig.builder().excludePaths("/internal").build()).build();
        assertThat(moved.httpMetricsConfig().isExcluded("/status/ready")).isTrue();
        assertThat(moved.httpMetricsConfig().isExcluded("/prometheus")).isTrue();
        assertThat(moved.httpMetricsConfig().isExcluded("/internal/x")).isTrue();
        assertThat(moved.httpMetricsConfig().isExcluded("/health")).isFalse();
    }
}
