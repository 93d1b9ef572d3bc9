package io.opskit.core.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MaintenanceConfigTest {

    @Test
    void shortSecretsAreRejectedWithoutEchoingThem() {
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceConfig.builder().bypassSecret("hunter2"))
                .withMessage("bypassSecret must be at least 16 characters, but was 7 characters:"
                        + " use e.g. a random 32-character token (openssl rand -hex 16)");
    }

    @Test
    void cidrsAreValidatedAndHostNamesAreNotResolved() {
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceConfig.builder().allowCidrs("localhost"))
                .withMessageContaining("allowCidrs must be a CIDR").withMessageContaining("'localhost'");
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceConfig.builder().trustedProxies("10.0.0.0/33"))
                .withMessage("trustedProxies must have a prefix length between 0 and 32, but was '10.0.0.0/33':"
                        + " use e.g. 10.0.0.0/32");
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceConfig.builder().allowCidrs("10.0.0.1/8"))
                .withMessageContaining("host bits set");
    }

    @Test
    void pathsDurationsAndNamesAreValidated() {
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceConfig.builder().passThrough("static"))
                .withMessageContaining("passThrough must be a path starting with '/'");
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceConfig.builder().defaultRetryAfter(Duration.ZERO))
                .withMessage("defaultRetryAfter must be between PT1S and PT24H, but was PT0S: use e.g. Duration.ofMinutes(5)");
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceConfig.builder().bypassHeader("X Bypass"))
                .withMessageContaining("bypassHeader must be an HTTP token");
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceConfig.builder().htmlTemplateResource("nope.html"))
                .withMessageContaining("'nope.html' was not found");
    }

    @Test
    void theCookieLifetimeAuditIntervalAndForwardedHeaderAreValidated() {
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceConfig.builder().bypassCookieMaxAge(Duration.ofDays(30)))
                .withMessage("bypassCookieMaxAge must be between PT1M and PT168H, but was PT720H: use e.g. Duration.ofHours(1)");
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceConfig.builder().bypassAuditInterval(Duration.ofSeconds(-1)))
                .withMessage("bypassAuditInterval must be between PT0S and PT24H, but was PT-1S: use e.g. Duration.ofMinutes(1)");
        assertThatIllegalArgumentException().isThrownBy(() -> MaintenanceConfig.builder().forwardedHeader(null))
                .withMessageContaining("forwardedHeader must be X_FORWARDED_FOR or FORWARDED, but was null");
        MaintenanceConfig defaults = MaintenanceConfig.DEFAULT;
        assertThat(defaults.bypassCookieMaxAge()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.forwardedHeader()).isEqualTo(ForwardedHeader.X_FORWARDED_FOR);
        assertThat(defaults.bypassAuditInterval()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void defaultsLetHealthAndMetricsThroughAndHideTheSecretInToString() {
        MaintenanceConfig config = MaintenanceConfig.builder().bypassSecret("0123456789abcdef0123").build();
        assertThat(config.passThroughPrefixes()).containsExactly("/health", "/metrics");
        assertThat(config.toString()).doesNotContain("0123456789abcdef0123").contains("bypassSecret=****");
        assertThat(MaintenanceConfig.builder().noDefaultPassThrough().build().passesThrough("/health")).isFalse();
    }
}
