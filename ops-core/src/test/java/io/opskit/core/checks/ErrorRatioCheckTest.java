package io.opskit.core.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.CheckRegistration;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ErrorRatioCheckTest {

    private final AtomicLong total = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private ErrorRatioCheck.Builder pair() {
        return ErrorRatioCheck.builder(total::get, errors::get).ticker(nanos::get);
    }

    private void advance(Duration d, long requests, long failed) {
        nanos.addAndGet(d.toNanos());
        total.addAndGet(requests);
        errors.addAndGet(failed);
    }

    @Test
    void underOnePercentPassesUnderFiveWarnsAndAboveFails() {
        ErrorRatioCheck check = pair().build();

        advance(Duration.ofMinutes(1), 1000, 9);
        Result pass = check.check();
        ErrorRatioCheck warnCheck = pair().build();
        advance(Duration.ofMinutes(1), 1000, 10);
        Result warn = warnCheck.check();
        ErrorRatioCheck failCheck = pair().build();
        advance(Duration.ofMinutes(1), 1000, 50);
        Result fail = failCheck.check();

        assertThat(pass.status()).isEqualTo(Status.PASS);
        assertThat(pass.observedValue()).contains(0.9);
        assertThat(warn.status()).isEqualTo(Status.WARN);
        assertThat(warn.observedValue()).contains(1.0);
        assertThat(warn.output()).contains("error ratio 1% (10 errors in 1000 requests in the last 1m), at or above 1%");
        assertThat(fail.status()).isEqualTo(Status.FAIL);
        assertThat(fail.observedValue()).contains(5.0);
        assertThat(fail.observedUnit()).contains("percent");
        assertThat(fail.details()).containsEntry("requests", 1000L).containsEntry("errors", 50L)
                .containsEntry("windowSeconds", 60L).containsEntry("minRequests", 50L);
    }

    @Test
    void theRatioIsOverTheSlidingWindowNotSinceStart() {
        ErrorRatioCheck check = pair().window(Duration.ofMinutes(5)).build();
        Result during = null;
        for (int i = 0; i < 10; i++) { // 5 minutes of 10% errors, checked every 30 s
            advance(Duration.ofSeconds(30), 100, 10);
            during = check.check();
        }
        Result after = null;
        for (int i = 0; i < 12; i++) { // then 6 minutes of clean traffic
            advance(Duration.ofSeconds(30), 100, 0);
            after = check.check();
        }

        assertThat(during.status()).isEqualTo(Status.FAIL);
        assertThat(during.observedValue()).contains(10.0);
        // since start it would be 100 errors in 2200 requests (4.5%, WARN): the window holds only the clean part
        assertThat(after.status()).isEqualTo(Status.PASS);
        assertThat(after.observedValue()).contains(0.0);
        assertThat(after.details()).containsEntry("requests", 1000L).containsEntry("errors", 0L).containsEntry("windowSeconds", 300L);
    }

    @Test
    void errorsLeavingTheWindowStopCountingOnceAWindowHasPassed() {
        ErrorRatioCheck check = pair().window(Duration.ofMinutes(1)).minRequests(1).build();
        advance(Duration.ofSeconds(10), 100, 100);
        assertThat(check.check().status()).isEqualTo(Status.FAIL);

        advance(Duration.ofSeconds(60), 100, 0);
        Result r = check.check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.details()).containsEntry("requests", 100L).containsEntry("windowSeconds", 60L);
    }

    @Test
    void fewerRequestsThanTheMinimumAreNotJudged() {
        ErrorRatioCheck check = pair().minRequests(50).build();
        advance(Duration.ofSeconds(30), 49, 49);

        Result r = check.check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.output()).contains("only 49 errors in 49 requests in the last 30s: fewer than the 50 requests needed to judge");
        assertThat(r.observedValue()).contains(100.0);
    }

    @Test
    void noTrafficAtAllPassesWithARatioOfZero() {
        ErrorRatioCheck check = pair().build();
        advance(Duration.ofSeconds(30), 0, 0);

        Result r = check.check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.observedValue()).contains(0.0);
    }

    @Test
    void countsThatGoBackwardsStartTheWindowAgain() {
        ErrorRatioCheck check = pair().minRequests(1).build();
        advance(Duration.ofSeconds(30), 1000, 500);
        assertThat(check.check().status()).isEqualTo(Status.FAIL);

        total.set(10);
        errors.set(0);
        Result reset = check.check();
        advance(Duration.ofSeconds(30), 100, 0);
        Result after = check.check();

        assertThat(reset.status()).isEqualTo(Status.PASS);
        assertThat(reset.output()).hasValueSatisfying(o -> assertThat(o).contains("went backwards"));
        assertThat(after.status()).isEqualTo(Status.PASS);
        assertThat(after.details()).containsEntry("requests", 100L);
    }

    @Test
    void countsBelowThoseOfThePreviousRunAreAResetEvenWhenThatRunWasNotKeptInTheRing() {
        ErrorRatioCheck check = pair().minRequests(1).build();
        advance(Duration.ofSeconds(10), 1000, 500);
        check.check();
        advance(Duration.ofMillis(100), 1000, 100); // too soon after the last kept sample to be kept itself
        check.check();

        total.set(1500);
        errors.set(550);
        Result r = check.check();

        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("went backwards"));
    }

    @Test
    void theRingOfSamplesStaysBoundedHoweverOftenTheCheckRuns() {
        ErrorRatioCheck check = pair().window(Duration.ofMinutes(5)).build();

        for (int i = 0; i < 5_000; i++) {
            advance(Duration.ofMillis(250), 10, 0);
            check.check();
        }

        assertThat(check.sampleCount()).isLessThanOrEqualTo(ErrorRatioCheck.SAMPLES).isGreaterThan(10);
        assertThat(check.check().details()).containsEntry("windowSeconds", 300L);
    }

    @Test
    void httpServerRequestsCountsServerErrorsByOutcomeOrStatusAndNothingElse() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ErrorRatioCheck check = ErrorRatioCheck.httpServerRequests(registry).ticker(nanos::get).minRequests(10).build();
        record(registry, Tags.of("outcome", "SUCCESS", "status", "200", "uri", "/a"), 90);
        record(registry, Tags.of("outcome", "CLIENT_ERROR", "status", "404", "uri", "/a"), 5);
        record(registry, Tags.of("outcome", "SERVER_ERROR", "status", "503", "uri", "/a"), 3);
        record(registry, Tags.of("status", "500", "uri", "/b"), 2);
        record(registry, Tags.of("outcome", "SERVER_ERROR", "uri", "/c"), 0);
        Timer.builder("other.requests").tag("outcome", "SERVER_ERROR").register(registry).record(Duration.ofMillis(1));
        nanos.addAndGet(Duration.ofSeconds(20).toNanos());

        Result r = check.check();

        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.observedValue()).contains(5.0);
        assertThat(r.details()).containsEntry("requests", 100L).containsEntry("errors", 5L);
        assertThat(r.output()).hasValueSatisfying(o -> assertThat(o).contains("5 errors in 100 http.server.requests in the last 20s"));
    }

    @Test
    void forHttpServerRequestsJudgesOnlyWhatHappensAfterItWasCreated() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        record(registry, Tags.of("outcome", "SERVER_ERROR", "status", "500"), 100);
        ErrorRatioCheck check = ErrorRatioCheck.forHttpServerRequests(registry);
        record(registry, Tags.of("outcome", "SUCCESS", "status", "200"), 100);

        Result r = check.check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.observedValue()).contains(0.0);
        assertThat(r.details()).containsEntry("requests", 100L).containsEntry("errors", 0L);
    }

    @Test
    void aMissingTimerMeansNoRequestsYet() {
        Result r = ErrorRatioCheck.forHttpServerRequests(new SimpleMeterRegistry()).check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.details()).containsEntry("requests", 0L);
    }

    @Test
    void serverErrorsAreOutcomeServerErrorOrAThreeDigitFiveHundredStatus() {
        assertThat(ErrorRatioCheck.isServerError(id("outcome", "SERVER_ERROR"))).isTrue();
        assertThat(ErrorRatioCheck.isServerError(id("status", "504"))).isTrue();
        assertThat(ErrorRatioCheck.isServerError(id("status", "5xx"))).isFalse();
        assertThat(ErrorRatioCheck.isServerError(id("status", "429"))).isFalse();
        assertThat(ErrorRatioCheck.isServerError(id("outcome", "CLIENT_ERROR"))).isFalse();
        assertThat(ErrorRatioCheck.isServerError(id("exception", "none"))).isFalse();
    }

    @Test
    void builderRejectsBadValuesNamingFieldValueAndFix() {
        assertThatThrownBy(() -> pair().window(Duration.ZERO))
                .hasMessageContaining("window").hasMessageContaining("PT0S").hasMessageContaining("Duration.ofMinutes(5)");
        assertThatThrownBy(() -> pair().warnThreshold(0))
                .hasMessageContaining("warnThreshold").hasMessageContaining("0.0").hasMessageContaining("use e.g. 1.0");
        assertThatThrownBy(() -> pair().failThreshold(120))
                .hasMessageContaining("failThreshold").hasMessageContaining("120.0").hasMessageContaining("use e.g. 5.0");
        assertThatThrownBy(() -> pair().minRequests(0))
                .hasMessageContaining("minRequests").hasMessageContaining("but was 0").hasMessageContaining("use e.g. 50");
        assertThatThrownBy(() -> pair().warnThreshold(10).failThreshold(5).build())
                .hasMessageContaining("warnThreshold").hasMessageContaining("10.0").hasMessageContaining("failThreshold (5.0)");
        assertThatThrownBy(() -> ErrorRatioCheck.timer(new SimpleMeterRegistry(), " "))
                .hasMessageContaining("timerName").hasMessageContaining("http.server.requests");
        assertThatThrownBy(() -> ErrorRatioCheck.builder(null, errors::get)).hasMessageContaining("totalRequests");
        assertThatThrownBy(() -> pair().ticker(null)).hasMessageContaining("ticker").hasMessageContaining("System::nanoTime");
    }

    @Test
    void registrationIsANonCriticalReadinessCheckNamedAfterItsSource() {
        ErrorRatioCheck http = ErrorRatioCheck.forHttpServerRequests(new SimpleMeterRegistry());
        ErrorRatioCheck generic = pair().build();

        CheckRegistration r = http.registration();

        assertThat(r.name()).isEqualTo("http.server.requests:errorRatio");
        assertThat(r.componentType()).isEqualTo("system");
        assertThat(r.probes()).containsExactly(Probe.READINESS);
        assertThat(r.critical()).isFalse();
        assertThat(generic.registration().name()).isEqualTo("requests:errorRatio");
        assertThat(generic.registration("orders:errors").name()).isEqualTo("orders:errors");
        assertThat(generic.window()).isEqualTo(ErrorRatioCheck.DEFAULT_WINDOW);
        assertThat(generic.warnThreshold()).isEqualTo(1.0);
        assertThat(generic.failThreshold()).isEqualTo(5.0);
        assertThat(generic.minRequests()).isEqualTo(ErrorRatioCheck.DEFAULT_MIN_REQUESTS);
    }

    private static void record(SimpleMeterRegistry registry, Tags tags, int times) {
        Timer timer = Timer.builder(ErrorRatioCheck.HTTP_SERVER_REQUESTS).tags(tags).register(registry);
        for (int i = 0; i < times; i++) {
            timer.record(Duration.ofMillis(3));
        }
    }

    private static Meter.Id id(String key, String value) {
        return new Meter.Id("http.server.requests", Tags.of(key, value), null, null, Meter.Type.TIMER);
    }
}
