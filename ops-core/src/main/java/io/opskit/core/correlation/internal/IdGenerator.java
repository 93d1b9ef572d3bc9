package io.opskit.core.correlation.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Generates 128-bit random IDs as 32 lower-case hex characters without touching
 * {@link SecureRandom} on the hot path.
 *
 * <p>Why this shape: {@code UUID.randomUUID()} draws from one shared {@code SecureRandom}, which
 * serialises every request thread on a lock and costs a syscall now and then. Here one
 * xoshiro256++ generator is seeded once with 256 bits from {@code SecureRandom}; every thread
 * takes its own copy on first use and the seeder jumps 2<sup>128</sup> steps ahead, so no two
 * threads ever share a subsequence and no lock is taken after that first call per thread. The
 * IDs are unguessable enough not to collide across a fleet; they are not secrets.
 */
public final class IdGenerator {

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
    private static final String ALGORITHM = "Xoshiro256PlusPlus";
    private static final Object SEED_LOCK = new Object();
    private static final Seeder SEEDER = newSeeder();
    private static final ThreadLocal<PerThread> LOCAL = ThreadLocal.withInitial(() -> new PerThread(SEEDER.next()));

    private IdGenerator() {
    }

    /** A fresh ID: 32 lower-case hex characters carrying 128 random bits. */
    public static String next() {
        PerThread local = LOCAL.get();
        RandomGenerator random = local.random;
        byte[] buffer = local.buffer;
        long hi = random.nextLong();
        long lo = random.nextLong();
        if ((hi | lo) == 0) {
            lo = 1; // an all-zero ID is not a valid W3C trace-id; 2^-128 odds, but cheap to rule out
        }
        write(hi, buffer, 0);
        write(lo, buffer, 16);
        return new String(buffer, 0, 32, StandardCharsets.ISO_8859_1);
    }

    private static void write(long value, byte[] out, int offset) {
        for (int i = 15; i >= 0; i--) {
            out[offset + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }

    private static Seeder newSeeder() {
        SecureRandom secure = new SecureRandom();
        try {
            byte[] seed = new byte[32];
            secure.nextBytes(seed);
            RandomGeneratorFactory<RandomGenerator.JumpableGenerator> factory = RandomGeneratorFactory.of(ALGORITHM);
            RandomGenerator.JumpableGenerator root = factory.create(seed);
            return () -> {
                synchronized (SEED_LOCK) {
                    return root.copyAndJump();
                }
            };
        } catch (IllegalArgumentException | UnsupportedOperationException noJdkRandomModule) {
            // runtimes built without the jdk.random module: SplittableRandom splits are independent streams too
            SplittableRandom root = new SplittableRandom(secure.nextLong());
            return () -> {
                synchronized (SEED_LOCK) {
                    return root.split();
                }
            };
        }
    }

    @FunctionalInterface
    private interface Seeder {
        RandomGenerator next();
    }

    private static final class PerThread {
        final RandomGenerator random;
        final byte[] buffer = new byte[32];

        PerThread(RandomGenerator random) {
            this.random = random;
        }
    }
}
