package io.opskit.core.checks;

import io.opskit.core.CheckRegistration;
import io.opskit.core.HealthCheck;
import io.opskit.core.Probe;
import io.opskit.core.Result;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deadlocked threads: FAIL naming every thread caught in a cycle of monitors or
 * {@code java.util.concurrent} locks ({@link ThreadMXBean#findDeadlockedThreads()}), with the lock
 * each waits for, its owner, the locks it holds and where it stands. A deadlock does not heal:
 * this is a liveness check, the one built-in check that means "restart me".
 * The observed value is the number of deadlocked threads.
 */
public final class DeadlockCheck implements HealthCheck {

    /** The name {@link #registration()} uses. */
    public static final String DEFAULT_NAME = "threads:deadlocks";

    private static final int STACK_DEPTH = 3;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    private DeadlockCheck() {
    }

    /** A deadlock check of this JVM. */
    public static DeadlockCheck create() {
        return new DeadlockCheck();
    }

    @Override
    public Result check() {
        boolean synchronizers = threads.isSynchronizerUsageSupported();
        long[] ids = synchronizers ? threads.findDeadlockedThreads() : threads.findMonitorDeadlockedThreads();
        if (ids == null || ids.length == 0) {
            return Result.pass("no deadlocked threads").withObservedValue(0, "threads");
        }
        ThreadInfo[] infos = threads.getThreadInfo(ids, threads.isObjectMonitorUsageSupported(), synchronizers, STACK_DEPTH);
        List<String> names = new ArrayList<>();
        List<String> waits = new ArrayList<>();
        List<Map<String, Object>> details = new ArrayList<>();
        for (ThreadInfo info : infos) {
            if (info == null) {
                continue; // the thread ended between the two calls
            }
            names.add(info.getThreadName());
            waits.add("'" + info.getThreadName() + "' waits for " + info.getLockName() + " held by '" + info.getLockOwnerName() + "'");
            details.add(describe(info));
        }
        return Result.fail(names.size() + " deadlocked threads: " + String.join("; ", waits))
                .withObservedValue(names.size(), "threads")
                .withDetail("threads", List.copyOf(names))
                .withDetail("deadlocks", List.copyOf(details));
    }

    private static Map<String, Object> describe(ThreadInfo info) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", info.getThreadName());
        m.put("id", info.getThreadId());
        m.put("state", info.getThreadState().name());
        m.put("waitingFor", String.valueOf(info.getLockName()));
        m.put("heldBy", String.valueOf(info.getLockOwnerName()));
        List<String> holds = new ArrayList<>();
        for (MonitorInfo monitor : info.getLockedMonitors()) {
            holds.add(monitor.toString());
        }
        for (LockInfo lock : info.getLockedSynchronizers()) {
            holds.add(lock.toString());
        }
        m.put("holds", List.copyOf(holds));
        List<String> at = new ArrayList<>();
        for (StackTraceElement frame : info.getStackTrace()) {
            at.add(frame.toString());
        }
        m.put("at", List.copyOf(at));
        return Collections.unmodifiableMap(m);
    }

    /**
     * This check registered as {@value #DEFAULT_NAME}: liveness, critical, component type
     * {@code system}.
     */
    public CheckRegistration registration() {
        return registration(DEFAULT_NAME);
    }

    /** Like {@link #registration()}, under another name. */
    public CheckRegistration registration(String name) {
        return CheckRegistration.builder(Checks.checkName(name), this).componentType("system")
                .probes(Probe.LIVENESS).build();
    }

    @Override
    public String toString() {
        return "DeadlockCheck";
    }
}
