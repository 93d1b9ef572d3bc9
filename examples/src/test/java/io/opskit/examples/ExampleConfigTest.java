package io.opskit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExampleConfigTest {

    @Test
    void defaultsNeedNoEnvironmentAtAll() {
        ExampleConfig c = ExampleConfig.from(Map.of());
        assertThat(c.port()).isEqualTo(8080);
        assertThat(c.dbUrl()).isEmpty();
        assertThat(c.redisEnabled()).isTrue();
        assertThat(c.redisUrl()).isEmpty();
        assertThat(c.reaperIdle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.reaperInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.checkInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.checkTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.drain()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.showDetails()).as("the safe default: details for tokens only").isFalse();
        assertThat(c.maintenance()).isFalse();
    }

    @Test
    void durationsAcceptShortFormsAndIso8601() {
        ExampleConfig c = ExampleConfig.from(Map.of("OPS_REAPER_IDLE", "30s", "OPS_REAPER_INTERVAL", "PT1M",
                "OPS_CHECK_TIMEOUT", "500ms", "OPS_DRAIN", "0s", "OPS_REDIS_URL", "none", "OPS_SHOW_DETAILS", "never"));
        assertThat(c.reaperIdle()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.reaperInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.checkTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.drain()).isZero();
        assertThat(c.redisEnabled()).isFalse();
        assertThat(c.showDetails()).isFalse();
    }

    @Test
    void aBadValueIsOneLineNamingTheVariableAndWhatItAccepts() {
        assertThatThrownBy(() -> ExampleConfig.from(Map.of("PORT", "http"))).hasMessage(
                "PORT must be a port number from 0 to 65535 (0 picks a free one), but was 'http'");
        assertThatThrownBy(() -> ExampleConfig.from(Map.of("OPS_REAPER_IDLE", "soon"))).hasMessageStartingWith("OPS_REAPER_IDLE must be")
                .hasMessageContaining("'soon'");
        assertThatThrownBy(() -> ExampleConfig.from(Map.of("OPS_CHECK_INTERVAL", "0s"))).hasMessageStartingWith("OPS_CHECK_INTERVAL must be a positive");
        assertThatThrownBy(() -> ExampleConfig.from(Map.of("MAINTENANCE_MODE", "yes"))).hasMessage(
                "MAINTENANCE_MODE must be 'true' or 'false', but was 'yes'");
        assertThatThrownBy(() -> ExampleConfig.from(Map.of("OPS_SHOW_DETAILS", "sometimes"))).hasMessageStartingWith("OPS_SHOW_DETAILS");
        assertThatThrownBy(() -> ExampleConfig.from(Map.of("OPS_CHECK_URL", "ftp://x"))).hasMessageStartingWith("OPS_CHECK_URL");
        assertThatThrownBy(() -> ExampleConfig.from(Map.of("OPS_CHECK_CA", "/no/such.pem"))).hasMessageStartingWith("OPS_CHECK_CA");
        assertThatThrownBy(() -> ExampleConfig.from(Map.of("OPS_MAINTENANCE_SECRET", "short"))).hasMessageStartingWith("OPS_MAINTENANCE_SECRET");
        assertThatThrownBy(() -> ExampleConfig.from(Map.of("OPS_DB_URL", "jdbc:mysql://u:secretpw@h/db")))
                .hasMessageStartingWith("OPS_DB_URL").hasMessageNotContaining("secretpw");
        assertThatThrownBy(() -> ExampleConfig.from(Map.of("OPS_REDIS_URL", "http://:pw123456@cache")))
                .hasMessageStartingWith("OPS_REDIS_URL").hasMessageNotContaining("pw123456");
    }
}
