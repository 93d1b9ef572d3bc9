package io.opskit.core.endpoint.contract;

/** One adapter serving the operations surface on a free loopback port, for {@link SurfaceContract}. */
public interface SurfaceServer extends AutoCloseable {

    /** The port it listens on (127.0.0.1). */
    int port();

    /** Stops it. */
    @Override
    void close();
}
