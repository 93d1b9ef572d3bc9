package io.opskit.core.internal;

import io.opskit.core.CheckState;
import io.opskit.core.HealthSnapshot;
import io.opskit.core.Probe;
import io.opskit.core.Status;
import io.opskit.core.StatusChangeEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds the published snapshots from the checks' latest states in one pass: the checks arrive
 * sorted by name (the engine keeps them in a sorted map), opskit's own synthetic checks are
 * merged in place, staleness is judged on the way, and each probe gets its view and aggregate.
 * Cost is linear in the number of checks; no sorting, no lock.
 */
final class SnapshotBuilder {

    private SnapshotBuilder() {
    }

    /** The published views: one per probe and one of every check. */
    record Snapshots(Map<Probe, HealthSnapshot> byProbe, HealthSnapshot all) {
    }

    /**
     * @param runners   the registered checks, sorted by name
     * @param synthetic opskit's own checks, sorted by name
     * @param judge     whether to judge staleness (the engine runs)
     * @param changes   receives the status changes staleness causes
     */
    static Snapshots build(Iterable<CheckRunner> runners, List<CheckState> synthetic, boolean judge, long nowNanos,
                           Instant at, long version, Consumer<StatusChangeEvent> changes) {
        List<CheckState> all = new ArrayList<>();
        int next = 0;
        for (CheckRunner r : runners) {
            if (judge) {
                StatusChangeEvent e = r.judge(nowNanos, at);
                if (e != null) {
                    changes.accept(e);
                }
            }
            CheckState s = r.state();
            while (next < synthetic.size() && synthetic.get(next).name().compareTo(s.name()) < 0) {
                all.add(synthetic.get(next++));
            }
            all.add(s);
        }
        while (next < synthetic.size()) {
            all.add(synthetic.get(next++));
        }
        List<CheckState> live = new ArrayList<>();
        List<CheckState> ready = new ArrayList<>(all.size());
        List<CheckState> startup = new ArrayList<>();
        Status liveStatus = Status.PASS;
        Status readyStatus = Status.PASS;
        Status overall = Status.PASS;
        for (CheckState c : all) {
            overall = overall.worst(c.contribution());
            for (Probe p : c.probes()) {
                switch (p) {
                    case LIVENESS -> {
                        // a liveness check that has not reported yet must not restart the pod
                        CheckState l = c.pending() && !c.stale() ? CheckStates.asPassing(c, "pending: first run not finished") : c;
                        live.add(l);
                        liveStatus = liveStatus.worst(l.contribution());
                    }
                    case READINESS -> {
                        ready.add(c);
                        readyStatus = readyStatus.worst(c.contribution());
                    }
                    case STARTUP -> startup.add(c);
                    default -> throw new IllegalStateException("unknown probe " + p);
                }
            }
        }
        Map<Probe, HealthSnapshot> byProbe = new EnumMap<>(Probe.class);
        byProbe.put(Probe.LIVENESS, new HealthSnapshot(Optional.of(Probe.LIVENESS), liveStatus, live, version, at));
        byProbe.put(Probe.READINESS, new HealthSnapshot(Optional.of(Probe.READINESS), readyStatus, ready, version, at));
        byProbe.put(Probe.STARTUP, new HealthSnapshot(Optional.of(Probe.STARTUP), CheckStates.startupStatus(startup),
                CheckStates.startupView(startup), version, at));
        return new Snapshots(byProbe, new HealthSnapshot(Optional.empty(), overall, all, version, at));
    }
}
