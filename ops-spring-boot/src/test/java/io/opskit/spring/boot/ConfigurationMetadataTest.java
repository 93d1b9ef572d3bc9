package io.opskit.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The configuration processor documents every opskit.* property for IDEs. */
class ConfigurationMetadataTest {

    @Test
    void metadataListsTheOpskitPropertiesWithDescriptions() throws Exception {
        JsonNode metadata;
        try (InputStream in = OpsProperties.class.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
            metadata = new ObjectMapper().readTree(in);
        }
        List<String> names = new ArrayList<>();
        metadata.path("properties").forEach(p -> {
            names.add(p.path("name").asText());
            assertThat(p.path("description").asText()).as(p.path("name").asText()).isNotBlank();
        });
        assertThat(names).contains("opskit.enabled", "opskit.service-id", "opskit.checks", "opskit.actuator.enabled",
                "opskit.actuator.timeout", "opskit.actuator.interval", "opskit.lifecycle.drain", "opskit.jdbc.enabled",
                "opskit.jdbc.reaper.enabled", "opskit.redis.cache-mode", "opskit.maintenance.enabled",
                "opskit.correlation.enabled", "opskit.http-metrics.enabled", "opskit.breakers.enabled", "opskit.system.enabled",
                "opskit.actuator.operator-role", "opskit.actuator.viewer-role", "opskit.actuator.authenticated-is-viewer");
    }
}
