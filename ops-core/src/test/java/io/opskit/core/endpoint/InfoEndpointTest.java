package io.opskit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InfoEndpointTest {

    @Test
    void theBuildVersionTimeAndCommitComeFromWhatTheBuildLeftOnTheClassPath() {
        Map<String, Object> build = InfoEndpoint.build();
        assertThat(build).containsEntry("name", "orders").containsEntry("version", "1.4.2")
                .containsEntry("time", "2026-11-30T10:15:00Z")
                .containsEntry("commit", "0123456789abcdef0123456789abcdef01234567").containsEntry("branch", "main");
        assertThat(InfoEndpoint.opskitVersion()).isNotBlank();
    }
}
