package io.opskit.redis;

import io.lettuce.core.RedisURI;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** A real redis-server on a free port, without persistence, that can be stopped and started again on its port. */
final class EmbeddedRedis implements AutoCloseable {

    private final int port;
    private final RedisServer server;

    private EmbeddedRedis(int port, String... settings) throws IOException {
        this.port = port;
        var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no");
        for (String s : settings) {
            builder.setting(s);
        }
        this.server = builder.build();
    }

    /** Starts a server on a free port with the extra {@code settings} (redis.conf lines). */
    static EmbeddedRedis start(String... settings) {
        try {
            EmbeddedRedis redis = new EmbeddedRedis(freePort(), settings);
            redis.server.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server on {@code port}, e.g. one a test held free while nothing listened. */
    static EmbeddedRedis startOn(int port, String... settings) {
        try {
            EmbeddedRedis redis = new EmbeddedRedis(port, settings);
            redis.server.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    int port() {
        return port;
    }

    RedisURI uri() {
        return RedisURI.create("redis://127.0.0.1:" + port);
    }

    void stop() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void restart() {
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (server.isActive()) {
            stop();
        }
    }
}
