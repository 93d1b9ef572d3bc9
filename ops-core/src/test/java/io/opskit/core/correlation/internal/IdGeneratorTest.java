package io.opskit.core.correlation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {

    @Test
    void branchFreeHexMatchesTheJdkForEdgeAndRandomValues() {
        int[] edges = {0, 1, 9, 10, 15, 16, 0x99999999, 0xAAAAAAAA, 0xFFFFFFFF, 0x80000000, 0x7FFFFFFF, 0x12345678};
        for (int x : edges) {
            assertThat(ascii(IdGenerator.hex8(x))).isEqualTo(String.format("%08x", x));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            int x = random.nextInt();
            assertThat(ascii(IdGenerator.hex8(x))).isEqualTo(String.format("%08x", x));
        }
    }

    private static String ascii(long eightBytes) {
        StringBuilder s = new StringBuilder(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            s.append((char) ((eightBytes >>> shift) & 0xFF));
        }
        return s.toString();
    }
}
