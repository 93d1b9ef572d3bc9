package io.opskit.core.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opskit.core.ActionEvent;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Ops;
import io.opskit.core.Result;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventsEndpointTest {

    @Test
    void statusChangesAndActionsAreListedNewestFirstAndRedacted() throws Exception {
        try (Ops ops = Ops.builder().check(CheckRegistration.builder("db:ping", () -> Result.fail("down")).build()).build().start()) {
            ops.refresh("db:ping").get(5, TimeUnit.SECONDS);
            ops.events().publish(ActionEvent.of("postgres:reaper", "terminate", "terminated pid 42",
                    Map.of("url", "postgresql://app:hunter2@db/app")));
            EndpointResponse r = EventsEndpoint.create(ops.events()).handle(EndpointRequest.of("GET", "127.0.0.1"));
            assertThat(r.status()).isEqualTo(200);
            JsonNode events = new ObjectMapper().readTree(r.bodyText()).get("events");
            assertThat(events.get(0).get("type").asText()).isEqualTo("action");
            assertThat(events.get(0).get("details").get("url").asText()).doesNotContain("hunter2");
            assertThat(r.bodyText()).contains("\"source\":\"db:ping\"").contains("\"to\":\"fail\"");
        }
    }

    @Test
    void anInMemoryStreamKeepsABoundedHistoryForComponentsWithoutOps() {
        io.opskit.core.OpsEvents events = io.opskit.core.OpsEvents.inMemory(2);
        java.util.List<ActionEvent> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        events.onAction(seen::add);
        for (int i = 0; i < 3; i++) {
            events.publish(ActionEvent.of("redis:reaper", "kill", "client " + i, Map.of()));
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> seen.size() == 3);
        assertThat(seen).extracting(ActionEvent::message).containsExactly("client 0", "client 1", "client 2");
        assertThat(events.history()).extracting(e -> ((ActionEvent) e).message()).containsExactly("client 1", "client 2");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.opskit.core.OpsEvents.inMemory(-1)).hasMessageContaining("historySize");
    }
}
