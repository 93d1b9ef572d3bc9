package io.opskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opskit.core.Lifecycle;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LifecycleStateTest {

    @Test
    void tenThousandRoundsOfDrainRacingAutoReadyAllEndDraining() throws Exception {
        int rounds = 10_000;
        CyclicBarrier go = new CyclicBarrier(2);
        AtomicReference<LifecycleState> current = new AtomicReference<>();
        Thread autoReady = new Thread(() -> {
            try {
                for (int i = 0; i < rounds; i++) {
                    go.await();
                    current.get().advance(Lifecycle.STARTING, Lifecycle.READY);
                    go.await();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        autoReady.start();
        int draining = 0;
        for (int i = 0; i < rounds; i++) {
            LifecycleState state = new LifecycleState();
            current.set(state);
            go.await();
            state.advance(Lifecycle.DRAINING);
            go.await();
            if (state.get() == Lifecycle.DRAINING) {
                draining++;
            }
        }
        autoReady.join();
        assertThat(draining).isEqualTo(rounds);
    }

    @Test
    void itOnlyMovesForward() {
        LifecycleState s = new LifecycleState();
        assertThat(s.advance(Lifecycle.READY)).isEqualTo(Lifecycle.STARTING);
        assertThat(s.advance(Lifecycle.STOPPED)).isEqualTo(Lifecycle.READY);
        assertThat(s.advance(Lifecycle.DRAINING)).isNull();
        assertThat(s.advance(Lifecycle.READY)).isNull();
        assertThat(s.advance(Lifecycle.STARTING, Lifecycle.READY)).isFalse();
        assertThat(s.get()).isEqualTo(Lifecycle.STOPPED);
    }
}
