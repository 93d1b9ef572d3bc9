package io.opskit.benchmarks.detection;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.opskit.core.Attachment;
import io.opskit.core.Ops;
import io.opskit.core.Status;
import io.opskit.core.maintenance.MaintenanceMode;
import io.opskit.redis.RedisConnectionWatchdog;
import io.opskit.redis.RedisHealth;
import io.opskit.redis.RedisMaintenanceStore;
import io.opskit.redis.RedisTarget;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import redis.embedded.RedisServer;

/**
 * How fast opskit notices Redis going away, and how fast a fleet follows maintenance mode: the
 * figures the tests used to print. A real redis-server is killed {@code ROUNDS} times (default 10);
 * each time the time to the watchdog's FAIL and to the engine's {@code redis:connection} FAIL is
 * taken (both check intervals are an hour, so only Lettuce's disconnect event can report it); then
 * one instance switches maintenance on and the time until another instance follows is taken.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.opskit.benchmarks.detection.RedisDetection</pre>
 */
public final class RedisDetection {

    private RedisDetection() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("rounds", 10);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
        RedisURI uri = RedisURI.create("redis://127.0.0.1:" + port);
        List<Double> watchdogMs = new ArrayList<>();
        List<Double> engineMs = new ArrayList<>();
        List<Double> followMs = new ArrayList<>();
        RedisClient client = RedisClient.create(uri);
        StatefulRedisConnection<String, String> connection = client.connect();
        RedisConnectionWatchdog watchdog = RedisConnectionWatchdog.builder(client).interval(Duration.ofHours(1)).build();
        RedisHealth health = RedisHealth.builder(RedisTarget.of(connection)).interval(Duration.ofHours(1)).build();
        try (Ops ops = Ops.builder().build().start(); Attachment redis = ops.attach(health, watchdog); watchdog) {
            for (int i = 0; i < rounds; i++) {
                await(() -> watchdog.status() == Status.PASS && status(ops) == Status.PASS);
                long killed = System.nanoTime();
                server.stop();
                watchdogMs.add(await(() -> watchdog.status() == Status.FAIL, killed));
                engineMs.add(await(() -> status(ops) == Status.FAIL, killed));
                server.start();
            }
        }
        connection.close();
        client.shutdown();
        for (int i = 0; i < rounds; i++) {
            try (RedisMaintenanceStore storeA = RedisMaintenanceStore.builder(uri).key("bench:maint").channel("bench:maint").build();
                 RedisMaintenanceStore storeB = RedisMaintenanceStore.builder(uri).key("bench:maint").channel("bench:maint").build();
                 MaintenanceMode a = MaintenanceMode.builder().ignoreEnvironment().store(storeA).build();
                 MaintenanceMode b = MaintenanceMode.builder().ignoreEnvironment().store(storeB).build()) {
                a.start();
                b.start();
                long switched = System.nanoTime();
                a.enable("benchmark", Duration.ofMinutes(5));
                followMs.add(await(b::isEnabled, switched));
                a.disable();
                await(() -> !b.isEnabled());
            }
        }
        server.stop();
        System.out.println("| measurement (" + rounds + " rounds, Redis killed or switched, loopback) | p50 | max |");
        System.out.println("|---|---|---|");
        row("killed server → `RedisConnectionWatchdog` FAIL (Lettuce's disconnect event)", watchdogMs);
        row("killed server → `redis:connection` FAIL in the engine's snapshot", engineMs);
        row("maintenance on in one instance → seen by another (pub/sub)", followMs);
    }

    private static Status status(Ops ops) {
        return ops.check("redis:connection").map(c -> c.status()).orElse(Status.FAIL);
    }

    private static void row(String what, List<Double> ms) {
        List<Double> sorted = new ArrayList<>(ms);
        Collections.sort(sorted);
        System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms |%n", what, sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        await(condition, System.nanoTime());
    }

    /** Spins until the condition holds; returns the milliseconds since {@code since}. Gives up after 30 s. */
    private static double await(BooleanSupplier condition, long since) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("condition not met within 30 s");
            }
            Thread.onSpinWait();
        }
        return (System.nanoTime() - since) / 1e6;
    }
}
