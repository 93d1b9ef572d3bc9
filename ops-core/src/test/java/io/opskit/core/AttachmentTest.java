package io.opskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opskit.core.endpoint.OpsEndpoint;
import io.opskit.core.endpoint.OpsResponses;
import io.opskit.core.endpoint.Role;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttachmentTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Ops ops = Ops.builder().meterRegistry(registry).bindJvmMetrics(false).bindHealthMetrics(false).build();

    @AfterEach
    void close() {
        ops.close();
    }

    /** A component with two checks, a gauge, a counter, an endpoint and a listener. */
    private static final class Part implements OpsComponent {
        final String name;
        final AtomicInteger listenersClosed = new AtomicInteger();
        final AtomicReference<AttachContext> context = new AtomicReference<>();

        Part(String name) {
            this.name = name;
        }

        @Override
        public void attachTo(AttachContext c) {
            context.set(c);
            c.check(CheckRegistration.builder(name + ":one", Result::pass).build());
            c.check(CheckRegistration.builder(name + ":two", Result::pass).build());
            c.meters(r -> {
                Gauge.builder("test." + name + ".gauge", () -> 1).register(r);
                Counter.builder("test." + name + ".counter").register(r);
            });
            c.endpoint(OpsEndpoint.of("/ops/" + name, Map.of("GET", Role.VIEWER), request -> OpsResponses.text(200, "ok")));
            c.onDetach(listenersClosed::incrementAndGet);
        }

        @Override
        public String toString() {
            return "Part{" + name + '}';
        }
    }

    private List<String> checkNames() {
        return ops.registrations().stream().map(CheckRegistration::name).toList();
    }

    private List<String> paths() {
        return ops.endpoints().list().stream().map(OpsEndpoint::path).toList();
    }

    @Test
    void attachingRegistersItsChecksBindsItsMetersAndContributesItsEndpoints() {
        Attachment a = ops.attach(new Part("a"));

        assertThat(checkNames()).containsExactly("a:one", "a:two");
        assertThat(a.checks()).containsExactly("a:one", "a:two");
        assertThat(registry.find("test.a.gauge").gauges()).hasSize(1);
        assertThat(registry.find("test.a.counter").counters()).hasSize(1);
        assertThat(a.meters()).extracting(Meter.Id::getName).containsExactly("test.a.gauge", "test.a.counter");
        assertThat(paths()).containsExactly("/ops/a");
        assertThat(a.endpoints()).containsExactly("/ops/a");
        assertThat(a.isAttached()).isTrue();
        assertThat(ops.attachments()).containsExactly(a);
    }

    @Test
    void detachingRemovesItsChecksMetersAndEndpointsAndClosesItsListeners() {
        Part part = new Part("a");
        Attachment a = ops.attach(part);
        Attachment b = ops.attach(new Part("b"));

        a.close();

        assertThat(checkNames()).containsExactly("b:one", "b:two");
        assertThat(registry.find("test.a.gauge").gauges()).isEmpty();
        assertThat(registry.find("test.a.counter").counters()).isEmpty();
        assertThat(registry.find("test.b.gauge").gauges()).hasSize(1);
        assertThat(paths()).containsExactly("/ops/b");
        assertThat(part.listenersClosed).hasValue(1);
        assertThat(a.isAttached()).isFalse();
        assertThat(a.checks()).isEmpty();
        assertThat(ops.attachments()).containsExactly(b);
        a.close();
        assertThat(part.listenersClosed).hasValue(1);
    }

    @Test
    void aMeterTheRegistryHeldAlreadyIsSharedAndNotRemovedOnDetach() {
        Counter theirs = Counter.builder("test.a.counter").register(registry);
        Attachment a = ops.attach(new Part("a"));
        assertThat(a.meters()).extracting(Meter.Id::getName).containsExactly("test.a.gauge");
        a.close();
        assertThat(registry.find("test.a.counter").counter()).isSameAs(theirs);
    }

    @Test
    void attachingAComponentTwiceIsRefusedNamingItAndWorksAgainAfterDetaching() {
        Part part = new Part("a");
        Attachment first = ops.attach(part);
        assertThatIllegalStateException().isThrownBy(() -> ops.attach(part))
                .withMessageContaining("Part{a} is already attached to this Ops")
                .withMessageContaining("close its Attachment");
        Part c = new Part("c");
        assertThatIllegalStateException().isThrownBy(() -> ops.attach(c, c)).withMessageContaining("already attached");
        assertThat(checkNames()).containsExactly("a:one", "a:two");

        first.close();
        ops.attach(part);
        assertThat(checkNames()).containsExactly("a:one", "a:two");
        assertThat(registry.find("test.a.counter").counters()).hasSize(1);
    }

    @Test
    void whenOneComponentFailsNothingOfTheCallStays() {
        Part ok = new Part("ok");
        OpsComponent clash = context -> context.check(CheckRegistration.builder("ok:one", Result::pass).build());
        assertThatIllegalArgumentException().isThrownBy(() -> ops.attach(ok, clash))
                .withMessageContaining("a check named 'ok:one' is already registered");
        assertThat(checkNames()).isEmpty();
        assertThat(paths()).isEmpty();
        assertThat(registry.find("test.ok.gauge").gauges()).isEmpty();
        assertThat(ok.listenersClosed).hasValue(1);
        assertThat(ops.attachments()).isEmpty();
        ops.attach(ok);   // not left marked as attached
        assertThat(checkNames()).containsExactly("ok:one", "ok:two");
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        assertThatNullPointerException().isThrownBy(() -> ops.attach((OpsComponent) null))
                .withMessageContaining("components must not contain null");
        assertThatNullPointerException().isThrownBy(() -> ops.attach((OpsComponent[]) null)).withMessage("components");
        assertThatIllegalArgumentException().isThrownBy(() -> ops.attach()).withMessageContaining("at least one component");
        ops.close();
        assertThatIllegalStateException().isThrownBy(() -> ops.attach(new Part("late")))
                .withMessageContaining("this Ops is closed");
    }

    @Test
    void aContextRefusesWorkOnceDetached() {
        Part part = new Part("a");
        ops.attach(part).close();
        assertThatIllegalStateException()
                .isThrownBy(() -> part.context.get().check(CheckRegistration.builder("a:three", Result::pass).build()))
                .withMessageContaining("Part{a} is detached from its Ops");
        assertThat(part.context.get().uncheck("a:one")).isFalse();
    }

    @Test
    void uncheckUnregistersACheckOfThisAttachmentOnly() {
        Part part = new Part("a");
        Attachment a = ops.attach(part);
        ops.register("other:check", Result::pass);
        assertThat(part.context.get().uncheck("other:check")).isFalse();
        assertThat(part.context.get().uncheck("a:one")).isTrue();
        assertThat(a.checks()).containsExactly("a:two");
        a.close();
        assertThat(checkNames()).containsExactly("other:check");
    }

    @Test
    void closingOpsDetachesEveryAttachmentAndClosesNoComponent() {
        Part part = new Part("a");
        Attachment a = ops.attach(part);
        ops.close();
        assertThat(a.isAttached()).isFalse();
        assertThat(part.listenersClosed).hasValue(1);
        assertThat(paths()).isEmpty();
        assertThat(registry.find("test.a.gauge").gauges()).isEmpty();
    }

    @Test
    void attachingStartsNoThread() {
        int before = ops.engineThreads();
        ops.attach(new Part("a"));
        assertThat(ops.engineThreads()).isEqualTo(before);
        assertThat(ops.lifecycle()).isEqualTo(Lifecycle.STARTING);
    }
}
