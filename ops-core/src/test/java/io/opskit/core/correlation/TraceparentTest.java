package io.opskit.core.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceparentTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void validVersion00HeaderYieldsItsTraceId() {
        assertThat(Traceparent.traceId("00-" + TRACE_ID + "-00f067aa0ba902b7-01")).contains(TRACE_ID);
    }

    @Test
    void futureVersionsWithExtraFieldsAreAccepted() {
        assertThat(Traceparent.traceId("01-" + TRACE_ID + "-00f067aa0ba902b7-01-extra")).contains(TRACE_ID);
        assertThat(Traceparent.traceId("01-" + TRACE_ID + "-00f067aa0ba902b7-01x")).isEmpty();
    }

    @Test
    void malformedOrForbiddenHeadersYieldNothing() {
        assertThat(Traceparent.traceId(null)).isEmpty();
        assertThat(Traceparent.traceId("")).isEmpty();
        assertThat(Traceparent.traceId("00-" + "0".repeat(32) + "-00f067aa0ba902b7-01")).isEmpty();
        assertThat(Traceparent.traceId("00-" + TRACE_ID + "-0000000000000000-01")).isEmpty();
        assertThat(Traceparent.traceId("ff-" + TRACE_ID + "-00f067aa0ba902b7-01")).isEmpty();
        assertThat(Traceparent.traceId("00-" + TRACE_ID.toUpperCase() + "-00f067aa0ba902b7-01")).isEmpty();
        assertThat(Traceparent.traceId("00-" + TRACE_ID + "-00f067aa0ba902b7-01-extra")).isEmpty();
        assertThat(Traceparent.traceId("00_" + TRACE_ID + "-00f067aa0ba902b7-01")).isEmpty();
        assertThat(Traceparent.traceId("00-" + TRACE_ID + "-00f067aa0ba902b7-0g")).isEmpty();
    }
}
