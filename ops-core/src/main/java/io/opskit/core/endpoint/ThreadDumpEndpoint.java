package io.opskit.core.endpoint;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /ops/threaddump} for viewers: every thread with its full stack, held monitors and
 * synchronizers, as jstack-like text, or as JSON when {@code Accept} asks for
 * {@code application/json}.
 */
final class ThreadDumpEndpoint {

    private ThreadDumpEndpoint() {
    }

    static OpsEndpoint create() {
        return OpsEndpoint.of("/ops/threaddump", Map.of("GET", Role.VIEWER), request -> {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            ThreadInfo[] threads = mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported());
            boolean json = request.header("Accept").map(a -> a.contains("application/json")).orElse(false);
            return json ? OpsResponses.json(200, Map.of("threads", asMaps(threads))) : OpsResponses.text(200, text(threads));
        });
    }

    static String text(ThreadInfo[] threads) {
        StringBuilder out = new StringBuilder(threads.length * 1024);
        out.append(Instant.now()).append('\n');
        out.append("Full thread dump ").append(System.getProperty("java.vm.name")).append(" (")
                .append(System.getProperty("java.vm.version")).append("):\n\n");
        for (ThreadInfo t : threads) {
            out.append('"').append(t.getThreadName()).append("\" #").append(t.getThreadId())
                    .append(t.isDaemon() ? " daemon" : "").append(" prio=").append(t.getPriority()).append('\n');
            out.append("   java.lang.Thread.State: ").append(t.getThreadState()).append('\n');
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < stack.length; i++) {
                out.append("\tat ").append(stack[i]).append('\n');
                if (i == 0 && t.getLockInfo() != null) {
                    out.append("\t- ").append(waitVerb(t)).append(' ').append(lock(t.getLockInfo()));
                    if (t.getLockOwnerName() != null) {
                        out.append(" owned by \"").append(t.getLockOwnerName()).append("\" #").append(t.getLockOwnerId());
                    }
                    out.append('\n');
                }
                for (MonitorInfo m : t.getLockedMonitors()) {
                    if (m.getLockedStackDepth() == i) {
                        out.append("\t- locked ").append(lock(m)).append('\n');
                    }
                }
            }
            LockInfo[] syncs = t.getLockedSynchronizers();
            if (syncs.length > 0) {
                out.append("\n   Locked ownable synchronizers:\n");
                for (LockInfo l : syncs) {
                    out.append("\t- ").append(lock(l)).append('\n');
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String waitVerb(ThreadInfo t) {
        switch (t.getThreadState()) {
            case BLOCKED:
                return "waiting to lock";
            case WAITING:
            case TIMED_WAITING:
                return "parking to wait for";
            default:
                return "waiting on";
        }
    }

    private static String lock(LockInfo l) {
        return "<0x" + String.format("%016x", l.getIdentityHashCode()) + "> (a " + l.getClassName() + ")";
    }

    static List<Map<String, Object>> asMaps(ThreadInfo[] threads) {
        List<Map<String, Object>> out = new ArrayList<>(threads.length);
        for (ThreadInfo t : threads) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", t.getThreadName());
            m.put("id", t.getThreadId());
            m.put("daemon", t.isDaemon());
            m.put("priority", t.getPriority());
            m.put("state", t.getThreadState().name());
            if (t.getLockInfo() != null) {
                m.put("lock", lock(t.getLockInfo()));
            }
            if (t.getLockOwnerName() != null) {
                m.put("lockOwner", t.getLockOwnerName());
                m.put("lockOwnerId", t.getLockOwnerId());
            }
            m.put("blockedCount", t.getBlockedCount());
            m.put("waitedCount", t.getWaitedCount());
            List<String> stack = new ArrayList<>();
            for (StackTraceElement e : t.getStackTrace()) {
                stack.add(e.toString());
            }
            m.put("stack", stack);
            List<String> monitors = new ArrayList<>();
            for (MonitorInfo mi : t.getLockedMonitors()) {
                monitors.add(lock(mi) + " at depth " + mi.getLockedStackDepth());
            }
            m.put("lockedMonitors", monitors);
            List<String> syncs = new ArrayList<>();
            for (LockInfo l : t.getLockedSynchronizers()) {
                syncs.add(lock(l));
            }
            m.put("lockedSynchronizers", syncs);
            out.add(m);
        }
        return out;
    }
}
