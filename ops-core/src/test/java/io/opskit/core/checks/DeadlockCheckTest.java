package io.opskit.core.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import io.opskit.core.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class DeadlockCheckTest {

    @Test
    void aJvmWithoutDeadlocksPasses() {
        Result r = DeadlockCheck.create().check();

        assertThat(r.status()).isEqualTo(Status.PASS);
        assertThat(r.observedValue()).contains(0);
        assertThat(r.observedUnit()).contains("threads");
    }

    @Test
    void twoThreadsDeadlockedOnLocksFailNamingBothThreadsAndTheirLocks() throws Exception {
        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothHoldOne = new CountDownLatch(2);
        Thread a = lockInOrder("opskit-deadlock-a", first, second, bothHoldOne);
        Thread b = lockInOrder("opskit-deadlock-b", second, first, bothHoldOne);
        DeadlockCheck check = DeadlockCheck.create();
        AtomicReference<Result> seen = new AtomicReference<>();
        try {
            a.start();
            b.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> {
                seen.set(check.check());
                return seen.get().status() == Status.FAIL;
            });

            Result r = seen.get();
            assertThat(r.observedValue()).contains(2);
            assertThat(r.output()).hasValueSatisfying(o -> assertThat(o)
                    .startsWith("2 deadlocked threads")
                    .contains("'opskit-deadlock-a' waits for java.util.concurrent.locks.ReentrantLock")
                    .contains("held by 'opskit-deadlock-b'")
                    .contains("held by 'opskit-deadlock-a'"));
            assertThat(r.details().get("threads")).asInstanceOf(InstanceOfAssertFactories.LIST).containsExactlyInAnyOrder("opskit-deadlock-a", "opskit-deadlock-b");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> deadlocks = (List<Map<String, Object>>) r.details().get("deadlocks");
            assertThat(deadlocks).hasSize(2).allSatisfy(t -> {
                assertThat(t).containsKeys("id", "waitingFor", "heldBy", "holds", "at").containsEntry("state", "WAITING");
                assertThat(t.get("holds")).asInstanceOf(InstanceOfAssertFactories.LIST).singleElement().asString().contains("ReentrantLock");
            });
        } finally {
            a.interrupt();
            b.interrupt();
            a.join(10_000);
            b.join(10_000);
        }
        assertThat(a.isAlive()).isFalse();
        assertThat(b.isAlive()).isFalse();
        assertThat(check.check().status()).isEqualTo(Status.PASS);
    }

    /** A daemon thread that takes {@code one}, waits until its peer holds the other, then takes {@code other} (interruptibly). */
    private static Thread lockInOrder(String name, ReentrantLock one, ReentrantLock other, CountDownLatch bothHoldOne) {
        Thread t = new Thread(() -> {
            one.lock();
            try {
                bothHoldOne.countDown();
                bothHoldOne.await();
                other.lockInterruptibly();
                other.unlock();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the end of the test: let go
            } finally {
                one.unlock();
            }
        }, name);
        t.setDaemon(true);
        return t;
    }

    @Test
    void registrationIsACriticalLivenessSystemCheck() {
        CheckRegistration r = DeadlockCheck.create().registration();

        assertThat(r.name()).isEqualTo("threads:deadlocks");
        assertThat(r.componentType()).isEqualTo("system");
        assertThat(r.probes()).containsExactly(Probe.LIVENESS);
        assertThat(r.critical()).isTrue();
    }
}
