package io.opskit.core.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimerPercentileCheckTest {

    private static final String NAME = "http.server.requests";

    /** The registry's clock stands still unless a test moves it: its percentiles and SLO buckets do not decay by themselves. */
    private final MockClock clock = new MockClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    private TimerPercentileCheck.Builder p95() {
        return TimerPercentileCheck.builder(registry, NAME).ticker(nanos::get);
    }

    private Timer publishing(String uri) {
        return Timer.builder(NAME).tag("uri", uri).publishPercentiles(0.95).register(registry);
    }

    private Timer withBuckets(String uri) {
        return Timer.builder(NAME).tag("uri", uri)
                .serviceLevelObjectives(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(200), Duration.ofMillis(500), Duration.ofSeconds(1))
                .register(registry);
    }

    private static void record(Timer timer, Duration each, int times) {
        for (int i = 0; i < times; i++) {
            timer.record(each);
        }
    }

    @Test
    void aTimerNotRegisteredYetPassesWithNoSamplesYet() {
        Result r = p95().failThreshold(Duration.ofMillis(200)).build().check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.output()).contains("no samples yet: no timer 'http.server.requests' is registered");
        assertThat(r.observedValue()).isEmpty();
    }

    @Test
    void aTimerWithoutSamplesPassesWithNoSamplesYet() {
        publishing("/orders");

        Result r = p95().failThreshold(Duration.ofMillis(200)).build().check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.output()).contains("no samples yet");
        assertThat(r.details()).containsEntry("timers", 1).containsEntry("samples", 0L);
    }

    @Test
    void aPublishedPercentileIsJudgedInMilliseconds() {
        Timer timer = publishing("/orders");
        for (int ms = 1; ms <= 100; ms++) {
            timer.record(Duration.ofMillis(ms));
        }

        Result pass = p95().failThreshold(Duration.ofMillis(200)).build().check();
        Result warn = p95().warnThreshold(Duration.ofMillis(90)).failThreshold(Duration.ofMillis(200)).build().check();
        Result fail = p95().failThreshold(Duration.ofMillis(50)).build().check();

        assertThat(pass.status()).isEqualTo(Status.PASS);
        assertThat(pass.observedUnit()).contains("ms");
        assertThat((Double) pass.observedValue().orElseThrow()).isBetween(94.0, 100.0); // HdrHistogram precision
        assertThat(pass.details()).containsEntry("source", "published-percentile").containsEntry("samples", 100L)
                .containsEntry("percentile", 0.95).containsEntry("failThresholdMs", 200.0);
        assertThat(warn.status()).isEqualTo(Status.WARN);
        assertThat(fail.status()).isEqualTo(Status.FAIL);
        assertThat(fail.output()).hasValueSatisfying(o -> assertThat(o)
                .startsWith("p95 of 'http.server.requests' is ").endsWith(" ms, at or above 50 ms"));
    }

    @Test
    void theWorstPublishedPercentileAcrossMatchingTimersIsJudgedAndTagsNarrowTheMatch() {
        record(publishing("/fast"), Duration.ofMillis(2), 50);
        record(publishing("/slow"), Duration.ofMillis(300), 50);

        Result all = p95().failThreshold(Duration.ofMillis(200)).build().check();
        Result fast = p95().tags("uri", "/fast").failThreshold(Duration.ofMillis(200)).build().check();

        assertThat(all.status()).isEqualTo(Status.FAIL);
        assertThat((Double) all.observedValue().orElseThrow()).isGreaterThan(250.0);
        assertThat(all.details()).containsEntry("timers", 2);
        assertThat(fast.status()).isEqualTo(Status.PASS);
        assertThat((Double) fast.observedValue().orElseThrow()).isLessThan(5.0);
        assertThat(fast.details()).containsEntry("timers", 1).containsEntry("tags", Tags.of("uri", "/fast").toString());
        assertThat(fast.output()).hasValueSatisfying(o -> assertThat(o).contains("'http.server.requests' uri=/fast"));
    }

    @Test
    void aPercentileIsInterpolatedFromHistogramBucketsWhenNoneIsPublished() {
        Timer timer = withBuckets("/orders");
        TimerPercentileCheck check = p95().failThreshold(Duration.ofMillis(100)).build();
        record(timer, Duration.ofMillis(5), 90);
        record(timer, Duration.ofMillis(150), 10);

        Result r = check.check();

        // rank 95 lies halfway through the 10 samples of the (100 ms, 200 ms] bucket
        assertThat(r.observedValue()).contains(150.0);
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.details()).containsEntry("source", "histogram").containsEntry("samples", 100L);
    }

    @Test
    void bucketsOfSeveralTimersAreAddedBeforeThePercentileIsTaken() {
        TimerPercentileCheck check = p95().percentile(0.5).failThreshold(Duration.ofSeconds(1)).build();
        record(withBuckets("/a"), Duration.ofMillis(5), 60);
        record(withBuckets("/b"), Duration.ofMillis(400), 40);

        Result r = check.check();

        // the median of the 100 samples together is in the first bucket: (50 / 60) of the way to 10 ms
        assertThat((Double) r.observedValue().orElseThrow()).isCloseTo(8.333, org.assertj.core.data.Offset.offset(0.001));
        assertThat(r.details()).containsEntry("timers", 2);
    }

    @Test
    void bucketsThatKeepOnlyTheRegistrysRecentWindowAreJudgedAsReported() {
        Timer timer = withBuckets("/orders");
        TimerPercentileCheck check = p95().failThreshold(Duration.ofMillis(200)).build();
        record(timer, Duration.ofMillis(300), 100);
        Result slow = check.check();

        clock.add(Duration.ofMinutes(3)); // the simple registry's SLO buckets forget after 2 minutes
        Result forgotten = check.check();
        record(timer, Duration.ofMillis(5), 100);
        Result fast = check.check();

        assertThat(slow.status()).isEqualTo(Status.FAIL);
        assertThat(forgotten.status()).isEqualTo(Status.PASS);
        assertThat(forgotten.details()).containsEntry("source", "histogram-window");
        assertThat(fast.status()).isEqualTo(Status.PASS);
        assertThat(fast.observedValue()).contains(9.5);
        assertThat(fast.details()).containsEntry("source", "histogram-window");
        assertThat((Long) fast.details().get("samples")).isBetween(99L, 100L); // Micrometer may drop one at its rotation
    }

    @Test
    void aHistogramPercentileCoversOnlyItsWindowNotEverythingSinceStart() {
        // the registry clock stands still, so these buckets count since start as Prometheus' do
        Timer timer = withBuckets("/orders");
        TimerPercentileCheck check = p95().failThreshold(Duration.ofMillis(200)).histogramWindow(Duration.ofMinutes(5)).build();

        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        record(timer, Duration.ofMillis(300), 100);
        Result slow = check.check();
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        Result quiet = check.check();
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        record(timer, Duration.ofMillis(5), 100);
        Result fast = check.check();

        assertThat(slow.status()).isEqualTo(Status.FAIL);
        assertThat(quiet.status()).isEqualTo(Status.PASS);
        assertThat(quiet.output()).contains("no samples in the last 5m");
        // since start, half the samples are slow and the p95 would be 485 ms: the window holds only the fast ones
        assertThat(fast.status()).isEqualTo(Status.PASS);
        assertThat(fast.observedValue()).contains(9.5);
        assertThat(fast.details()).containsEntry("samples", 100L);
    }

    @Test
    void aPercentileAboveTheLargestBucketIsReportedAsALowerBound() {
        Timer timer = withBuckets("/orders");
        TimerPercentileCheck check = p95().failThreshold(Duration.ofMillis(500)).build();
        record(timer, Duration.ofSeconds(3), 10);

        Result r = check.check();

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.observedValue()).contains(1000.0);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("is at least 1000 ms"));
    }

    @Test
    void aTimerPublishingNeitherPercentilesNorBucketsWarnsHowToConfigureIt() {
        record(Timer.builder(NAME).register(registry), Duration.ofMillis(5), 10);

        Result r = p95().failThreshold(Duration.ofMillis(200)).build().check();

        assertThat(r.status()).isEqualTo(Status.WARN);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o)
                .contains("publishes neither the p95 nor a histogram").contains("publishPercentiles(0.95)")
                .contains("publishPercentileHistogram()"));
    }

    @Test
    void aPublishedPercentileOtherThanTheJudgedOneIsNotUsed() {
        record(Timer.builder(NAME).publishPercentiles(0.5).register(registry), Duration.ofMillis(5), 10);

        Result r = p95().failThreshold(Duration.ofMillis(200)).build().check();

        assertThat(r.status()).isEqualTo(Status.WARN);
    }

    @Test
    void builderRejectsBadValuesNamingFieldValueAndFix() {
        assertThatThrownBy(() -> p95().build())
                .hasMessageContaining("failThreshold and warnThreshold").hasMessageContaining("failThreshold(Duration.ofMillis(200))");
        assertThatThrownBy(() -> p95().percentile(1.0))
                .hasMessageContaining("percentile").hasMessageContaining("1.0").hasMessageContaining("use e.g. 0.95");
        assertThatThrownBy(() -> p95().percentile(95))
                .hasMessageContaining("percentile").hasMessageContaining("95.0");
        assertThatThrownBy(() -> p95().failThreshold(Duration.ofMillis(-1)))
                .hasMessageContaining("failThreshold").hasMessageContaining("PT-0.001S").hasMessageContaining("Duration.ofMillis(200)");
        assertThatThrownBy(() -> p95().warnThreshold(Duration.ZERO))
                .hasMessageContaining("warnThreshold").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> p95().histogramWindow(null))
                .hasMessageContaining("histogramWindow").hasMessageContaining("null");
        assertThatThrownBy(() -> p95().warnThreshold(Duration.ofMillis(300)).failThreshold(Duration.ofMillis(200)).build())
                .hasMessageContaining("warnThreshold").hasMessageContaining("PT0.3S").hasMessageContaining("failThreshold (PT0.2S)");
        assertThatThrownBy(() -> p95().tags("uri"))
                .hasMessageContaining("tags").hasMessageContaining("1 strings").hasMessageContaining("key/value");
        assertThatThrownBy(() -> TimerPercentileCheck.builder(registry, ""))
                .hasMessageContaining("timerName").hasMessageContaining("''");
    }

    @Test
    void registrationIsNamedAfterTheTimerAndThePercentile() {
        TimerPercentileCheck check = p95().failThreshold(Duration.ofMillis(200)).build();

        CheckRegistration r = check.registration();

        assertThat(r.name()).isEqualTo("http.server.requests:p95");
        assertThat(r.componentType()).isEqualTo("system");
        assertThat(r.probes()).containsExactly(Probe.READINESS);
        assertThat(r.critical()).isFalse();
        assertThat(p95().percentile(0.999).failThreshold(Duration.ofSeconds(1)).build().registration().name())
                .isEqualTo("http.server.requests:p99.9");
        assertThat(TimerPercentileCheck.builder(registry, "my timer/ä").failThreshold(Duration.ofSeconds(1)).build()
                .registration().name()).isEqualTo("my_timer__:p95");
        assertThat(check.percentile()).isEqualTo(TimerPercentileCheck.DEFAULT_PERCENTILE);
        assertThat(check.histogramWindow()).isEqualTo(TimerPercentileCheck.DEFAULT_HISTOGRAM_WINDOW);
        assertThat(check.warnThreshold()).isEmpty();
        assertThat(check.failThreshold()).contains(Duration.ofMillis(200));
        assertThat(check.timerName()).isEqualTo(NAME);
    }
}
