package io.opskit.core.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CorrelationIdConfigTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void headersAreTriedInOrderAndOnlyValidValuesCount() {
        CorrelationIdConfig config = CorrelationIdConfig.DEFAULT;
        assertThat(config.resolve(Map.of("X-Correlation-ID", "a-1", "X-Request-ID", "b-2")::get)).isEqualTo("a-1");
        assertThat(config.resolve(Map.of("X-Correlation-ID", "bad value", "X-Request-ID", "b-2")::get)).isEqualTo("b-2");
        assertThat(config.resolve(Map.of("X-Correlation-ID", "", "traceparent",
                "00-" + TRACE_ID + "-00f067aa0ba902b7-01")::get)).isEqualTo(TRACE_ID);
    }

    @Test
    void missingOrInvalidIdsAreReplacedByAGeneratedOne() {
        String id = CorrelationIdConfig.DEFAULT.resolve(Map.of("X-Correlation-ID", "x\r\ny")::get);
        assertThat(id).matches("[0-9a-f]{32}");
        assertThat(CorrelationIdConfig.DEFAULT.inbound(Map.<String, String>of()::get)).isEmpty();
    }

    @Test
    void traceparentFallbackCanBeSwitchedOff() {
        CorrelationIdConfig config = CorrelationIdConfig.builder().headers("X-Trace").useTraceparent(false).build();
        assertThat(config.inbound(Map.of("traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01")::get)).isEmpty();
        assertThat(config.inbound(Map.of("X-Trace", "t")::get)).contains("t");
    }

    @Test
    void builderRejectsHeaderNamesThatAreNotTokens() {
        assertThatIllegalArgumentException().isThrownBy(() -> CorrelationIdConfig.builder().responseHeader("X Bad"))
                .withMessage("responseHeader must hold HTTP header names (RFC 9110 tokens), but was 'X Bad':"
                        + " use e.g. \"X-Correlation-ID\"");
        assertThatIllegalArgumentException().isThrownBy(() -> CorrelationIdConfig.builder().headers())
                .withMessageContaining("headers must name at least one header");
    }
}
