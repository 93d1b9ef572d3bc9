package io.opskit.spring.boot;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/** Test support: a real PostgreSQL and a real Redis, started by a test class and stopped after it. */
final class Services implements AutoCloseable {

    final EmbeddedPostgres postgres;
    final RedisServer redis;
    final int redisPort;

    private Services(EmbeddedPostgres postgres, RedisServer redis, int redisPort) {
        this.postgres = postgres;
        this.redis = redis;
        this.redisPort = redisPort;
    }

    static Services start() {
        try {
            int port = freePort();
            RedisServer redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no").build();
            redis.start();
            return new Services(EmbeddedPostgres.builder().start(), redis, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Spring properties pointing an application at both. */
    String[] properties() {
        return new String[] {
            "spring.datasource.url=jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
            "spring.datasource.username=postgres", "spring.datasource.password=postgres",
            "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort};
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            redis.stop();
        } finally {
            postgres.close();
        }
    }
}
