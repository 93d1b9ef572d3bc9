package io.opskit.core.correlation.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
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
 * L64X128MixRandom generator (a splittable LXM generator of the JDK) is seeded once with bits
 * from {@code SecureRandom}; every thread splits its own statistically independent generator off
 * it on first use (a few tens of nanoseconds under a lock, once per thread, so even a
 * thread-per-request server with virtual threads pays little) and draws lock-free after that.
 * The IDs are unguessable enough not to collide across a fleet; they are not secrets.
 */
public final class IdGenerator {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final String ALGORITHM = "L64X128MixRandom";
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
        LONGS.set(out, offset, hex8((int) (value >>> 32)));
        LONGS.set(out, offset + 8, hex8((int) value));
    }

    /**
     * The 8 lower-case hex digits of {@code x} as 8 ASCII bytes in one long (big-endian), without
     * a loop or a table: spread each nibble into its own byte, then add '0', or 'a' - 10 for
     * nibbles above 9. Four of these render an ID in a few nanoseconds.
     */
    static long hex8(int x) {
        long v = x & 0xFFFF_FFFFL;
        v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFFL;
        v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FFL;
        v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0FL;
        long aboveNine = ((v + 0x0606_0606_0606_0606L) >>> 4) & 0x0101_0101_0101_0101L;
        return v + 0x3030_3030_3030_3030L + aboveNine * ('a' - '0' - 10);
    }

    private static Seeder newSeeder() {
        SecureRandom secure = new SecureRandom();
        try {
            byte[] seed = new byte[32];
            secure.nextBytes(seed);
            // DO NOT REMOVE: the JDK turns seed bytes into longs with sign extension, so a negative
            // byte sets every higher bit and most of the seed's entropy is lost. Seven bits a byte
            // (224 bits in all) keep the state random.
            for (int i = 0; i < seed.length; i++) {
                seed[i] &= 0x7F;
            }
            RandomGeneratorFactory<RandomGenerator.SplittableGenerator> factory = RandomGeneratorFactory.of(ALGORITHM);
            RandomGenerator.SplittableGenerator root = factory.create(seed);
            return () -> {
                synchronized (SEED_LOCK) {
                    return root.split();
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
