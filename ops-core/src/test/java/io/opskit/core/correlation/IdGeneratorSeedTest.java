package io.opskit.core.correlation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class IdGeneratorSeedTest {

    @Test
    void theFirstIdsOfFreshThreadsAreUniformlyRandomHex() throws Exception {
        List<String> firsts = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Thread t = new Thread(() -> firsts.add(CorrelationId.generate()));
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long fs = 0;
        long digits = 0;
        for (String id : firsts) {
            assertThat(id).matches("[0-9a-f]{32}");
            fs += id.chars().filter(c -> c == 'f').count();
            digits += id.length();
        }
        // 2048 uniform hex digits hold about 128 'f' (6.25%); a badly seeded generator starts with runs of them
        assertThat((double) fs / digits).isLessThan(0.10);
        assertThat(firsts).doesNotHaveDuplicates();
    }
}
