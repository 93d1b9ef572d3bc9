package io.opskit.core.internal;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded lane of threads for work that may hang: at most {@code bound} tasks hold a slot at
 * once, and a task past its deadline can be {@linkplain #abandon abandoned}: it keeps its thread
 * (a check that ignores interruption cannot be stopped) but no longer counts against the bound,
 * so the next task gets a fresh thread. Threads never exceed {@code ceiling}; when that many are
 * stuck, further tasks wait and a WARN says so.
 *
 * <p>Idle threads wait {@code keepAlive} for work, then end. Why not a {@code ThreadPoolExecutor}:
 * its bound counts every running thread, so threads stuck for ever in uninterruptible checks
 * would starve every healthy check behind them.
 */
final class Workers {

    private static final Logger LOG = LoggerFactory.getLogger(Workers.class);
    private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    /** A unit of work; {@link Workers} tracks whether it holds a slot. */
    abstract static class Task implements Runnable {
        private boolean holdsSlot;      // guarded by the lane's lock
        private boolean started;        // guarded by the lane's lock
    }

    private final String name;
    private final int bound;
    private final int ceiling;
    private final long keepAliveNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    private final Set<Thread> threads = new HashSet<>();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private int active;             // tasks holding a slot
    private int abandoned;          // tasks past their deadline whose thread has not returned
    private int idle;               // threads waiting for work
    private boolean closed;
    private long lastCeilingWarn = System.nanoTime() - WARN_EVERY_NANOS;

    Workers(String name, int bound, int ceiling, long keepAlive, TimeUnit unit) {
        if (bound < 1 || ceiling < bound) {
            throw new IllegalArgumentException("bound " + bound + " and ceiling " + ceiling + " of lane " + name);
        }
        this.name = name;
        this.bound = bound;
        this.ceiling = ceiling;
        this.keepAliveNanos = unit.toNanos(keepAlive);
    }

    /** Queues a task; false when the lane is closed. */
    boolean submit(Task task) {
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            queue.addLast(task);
            wakeOrSpawn();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a task that has not started; true if it was still queued. */
    boolean cancel(Task task) {
        lock.lock();
        try {
            return !task.started && queue.remove(task);
        } finally {
            lock.unlock();
        }
    }

    /** The task is past its deadline: it keeps its thread but frees its slot for the next one. */
    void abandon(Task task) {
        lock.lock();
        try {
            if (task.holdsSlot) {
                task.holdsSlot = false;
                active--;
                abandoned++;
                wakeOrSpawn();
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean runnable() {
        return !closed && !queue.isEmpty() && active < bound;
    }

    // lock held
    private void wakeOrSpawn() {
        if (!runnable()) {
            return;
        }
        if (idle > 0) {
            work.signal();
        } else if (threads.size() < ceiling) {
            Thread t = new Thread(this::loop, "opskit-" + name + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            threads.add(t);
            idle++;             // counted idle until it looks for work, so a burst does not spawn a thread per task
            t.start();
        } else {
            long now = System.nanoTime();
            if (now - lastCeilingWarn >= WARN_EVERY_NANOS) {
                lastCeilingWarn = now;
                LOG.warn("opskit {} lane: all {} threads are taken, {} of them by runs past their deadline that ignore "
                        + "interruption; {} tasks wait until one returns", name, ceiling, abandoned, queue.size());
            }
        }
    }

    // lock held; takes the next task into a slot
    private Task take() {
        if (!runnable()) {
            return null;
        }
        Task t = queue.pollFirst();
        t.holdsSlot = true;
        t.started = true;
        active++;
        wakeOrSpawn();          // more queued work and free slots: pass the word on
        return t;
    }

    private void loop() {
        Thread me = Thread.currentThread();
        lock.lock();
        try {
            idle--;             // it was counted idle from its spawn to here
            while (true) {
                Task t = take();
                if (t == null) {
                    if (closed) {
                        return;
                    }
                    idle++;
                    long waited;
                    try {
                        waited = work.awaitNanos(keepAliveNanos);
                    } catch (InterruptedException e) {
                        waited = 0;     // closing, or a stray interrupt: look again, then leave if idle
                    } finally {
                        idle--;
                    }
                    if (waited <= 0 && !runnable()) {
                        return;
                    }
                    continue;
                }
                lock.unlock();
                try {
                    t.run();
                } catch (RuntimeException | Error e) { // NOPMD: a task must never kill its lane
                    LOG.warn("opskit {} lane: a task failed: {}", name, e.toString());
                } finally {
                    Thread.interrupted();   // a late interrupt must not leak into the next task
                    lock.lock();
                }
                if (t.holdsSlot) {
                    t.holdsSlot = false;
                    active--;
                } else {
                    abandoned--;
                }
            }
        } finally {
            threads.remove(me);
            lock.unlock();
        }
    }

    /** Drops queued tasks, wakes idle threads and waits up to {@code timeoutNanos} for every thread to end. */
    boolean close(long timeoutNanos) {
        Set<Thread> all;
        lock.lock();
        try {
            closed = true;
            queue.clear();
            work.signalAll();
            all = new HashSet<>(threads);
        } finally {
            lock.unlock();
        }
        long until = System.nanoTime() + timeoutNanos;
        for (Thread t : all) {
            long left = until - System.nanoTime();
            if (left > 0 && t != Thread.currentThread()) {
                try {
                    TimeUnit.NANOSECONDS.timedJoin(t, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        lock.lock();
        try {
            threads.removeIf(t -> !t.isAlive());
            return threads.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Numbers for the engine's own check: slots in use, stuck runs, queued tasks, threads. */
    Stats stats() {
        lock.lock();
        try {
            return new Stats(bound, ceiling, active, abandoned, queue.size(), threads.size());
        } finally {
            lock.unlock();
        }
    }

    /** A reading of the lane. */
    record Stats(int bound, int ceiling, int active, int stuck, int queued, int threads) {
        boolean saturated() {
            return threads >= ceiling && queued > 0 && active < bound;
        }
    }
}
