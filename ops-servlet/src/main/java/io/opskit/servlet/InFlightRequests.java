package io.opskit.servlet;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the requests in flight, so a graceful shutdown can wait for them before it closes what
 * they use (the connection pool, the cache client). An asynchronous request counts until it
 * completes. Map it on {@code /*} for REQUEST dispatches, outermost, with async support:
 *
 * <pre>{@code
 * InFlightRequests inFlight = InFlightRequests.create();
 * FilterRegistration.Dynamic r = context.addFilter("inFlight", inFlight);
 * r.setAsyncSupported(true);
 * r.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
 * // on shutdown: readiness FAIL and the drain delay (ops.drain), then stop accepting, then
 * connector.shutdown();                               // Jetty; Tomcat: connector.pause()
 * boolean idle = inFlight.awaitIdle(Duration.ofSeconds(20));
 * server.stop(); pool.close(); …
 * }</pre>
 *
 * <p>Once {@link #awaitIdle(Duration)} has been called, every further response carries
 * {@code Connection: close}, so keep-alive clients that still send requests on an open
 * connection reconnect elsewhere instead of extending the wait.
 */
public final class InFlightRequests implements Filter {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private int count;
    private volatile boolean closing;

    private InFlightRequests() {
    }

    /** A counter with nothing in flight. */
    public static InFlightRequests create() {
        return new InFlightRequests();
    }

    /** Requests in flight now. */
    public int count() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until no request is in flight, at most {@code timeout}; from now on responses close
     * their connection.
     *
     * @return true if idle, false if requests were still running at the deadline
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout must not be null: use e.g. Duration.ofSeconds(20)");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or positive, but was " + timeout
                    + ": use e.g. Duration.ofSeconds(20)");
        }
        closing = true;
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (count > 0) {
                if (left <= 0) {
                    return false;
                }
                left = idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        enter();
        Exit exit = new Exit();
        try {
            if (closing && res instanceof HttpServletResponse http && !http.isCommitted()) {
                http.setHeader("Connection", "close");
            }
            chain.doFilter(req, res);
        } finally {
            if (req.isAsyncStarted()) {
                req.getAsyncContext().addListener(exit);
            } else {
                exit.run();
            }
        }
    }

    private void enter() {
        lock.lock();
        try {
            count++;
        } finally {
            lock.unlock();
        }
    }

    private void leave() {
        lock.lock();
        try {
            if (--count == 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "InFlightRequests{" + count() + '}';
    }

    /** Leaves exactly once per request, on return or when its asynchronous processing completes. */
    private final class Exit implements AsyncListener {
        private final AtomicBoolean done = new AtomicBoolean();

        void run() {
            if (done.compareAndSet(false, true)) {
                leave();
            }
        }

        @Override
        public void onComplete(AsyncEvent event) {
            run();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onError(AsyncEvent event) {
            // onComplete follows
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // a new cycle on the same request: keep listening until it completes
            event.getAsyncContext().addListener(this);
        }
    }
}
