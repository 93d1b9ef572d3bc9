package io.opskit.redis;

import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Runs one command against a target under one deadline that covers connecting too. */
final class Commands {

    private Commands() {
    }

    /** Sends a command built by {@code command} and waits for its reply within {@code timeout} in all. */
    static <T> T run(RedisTarget target, Duration timeout, String what,
                     Function<RedisClusterAsyncCommands<?, ?>, CompletionStage<T>> command) throws Exception {
        long start = System.nanoTime();
        RedisClusterAsyncCommands<?, ?> commands = Await.get(target.commands(), timeout, "connecting to " + target.description());
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        if (left.toMillis() < 1) {
            throw new TimeoutException("connecting to " + target.description() + " used up the timeout of "
                    + Await.millis(timeout) + " before " + what + " could be sent");
        }
        try {
            return Await.get(command.apply(commands), left, what);
        } catch (TimeoutException e) {
            throw new TimeoutException(what + " got no answer within " + Await.millis(timeout) + " (" + target.description() + ")");
        }
    }

    /** {@code INFO section}, parsed. */
    static RedisInfo info(RedisTarget target, Duration timeout, String section) throws Exception {
        return RedisInfo.parse(run(target, timeout, "INFO " + section, c -> c.info(section)));
    }

    /**
     * {@code INFO section} of every node the target judges, parsed, by node ({@code host:port}; the empty
     * string for a standalone target), under one deadline.
     */
    static Map<String, RedisInfo> infoPerNode(RedisTarget target, Duration timeout, String section) throws Exception {
        Map<String, String> texts = Await.get(target.infoPerNode(section), timeout, "INFO " + section + " of " + target.description());
        Map<String, RedisInfo> infos = new TreeMap<>();
        texts.forEach((node, text) -> infos.put(node, RedisInfo.parse(text)));
        return infos;
    }

    /** One value of {@code CONFIG GET}, if the server allows it and knows the parameter. */
    static String configGet(RedisTarget target, Duration timeout, String parameter) throws Exception {
        Map<String, String> values = run(target, timeout, "CONFIG GET " + parameter, c -> c.configGet(parameter));
        return values.getOrDefault(parameter, "");
    }
}
