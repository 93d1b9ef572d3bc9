package io.opskit.core.endpoint;

import io.opskit.core.CheckState;
import io.opskit.core.HealthSnapshot;
import io.opskit.core.Ops;
import io.opskit.core.Probe;
import io.opskit.core.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /livez} and {@code /readyz} the way the Kubernetes API server answers them: plain
 * text, {@code ok} (200) or {@code <name> check failed} (503); with {@code ?verbose} one line per
 * check ({@code [+]db:ping ok}, {@code [-]db:ping failed: reason}) and a last line; with
 * {@code ?exclude=<check>} (repeatable) the named checks are left out of the answer and its
 * status. Check lines appear only to callers who may see check names (others get the last line
 * only); reasons only to those who may see details ({@code reason withheld} otherwise).
 */
final class KubeProbeEndpoint implements OpsEndpoint {

    private static final Map<String, Role> METHODS = Map.of("GET", Role.ANONYMOUS);

    private final Ops ops;
    private final String name;
    private final Probe probe;

    private KubeProbeEndpoint(Ops ops, String name, Probe probe) {
        this.ops = ops;
        this.name = name;
        this.probe = probe;
    }

    static KubeProbeEndpoint livez(Ops ops) {
        return new KubeProbeEndpoint(ops, "livez", Probe.LIVENESS);
    }

    static KubeProbeEndpoint readyz(Ops ops) {
        return new KubeProbeEndpoint(ops, "readyz", Probe.READINESS);
    }

    @Override
    public String path() {
        return "/" + name;
    }

    @Override
    public Map<String, Role> methods() {
        return METHODS;
    }

    @Override
    public EndpointResponse handle(OpsRequest request) {
        HealthSnapshot snapshot = ops.health(probe);
        Set<String> excluded = new HashSet<>(request.query().getOrDefault("exclude", List.of()));
        List<CheckState> checks = snapshot.checks();
        Status status = snapshot.status();
        if (!excluded.isEmpty()) {
            checks = checks.stream().filter(c -> !excluded.contains(c.name())).toList();
            status = HealthSnapshot.aggregate(checks);
        }
        boolean verbose = request.query().containsKey("verbose");
        boolean names = request.showComponents();
        boolean passed = status != Status.FAIL;
        StringBuilder out = new StringBuilder();
        if (verbose) {
            for (CheckState c : names ? checks : List.<CheckState>of()) {
                if (c.contribution() == Status.FAIL) {
                    String reason = request.showDetails() ? c.result().output().orElse("failed") : "reason withheld";
                    out.append("[-]").append(c.name()).append(" failed: ").append(oneLine(reason)).append('\n');
                } else {
                    out.append("[+]").append(c.name()).append(" ok").append(c.status() == Status.PASS ? "" : " (warn)")
                            .append('\n');
                }
            }
            for (String e : excluded) {
                if (names) {
                    out.append("[+]").append(oneLine(e)).append(" excluded: ok\n");
                }
            }
            out.append(name).append(passed ? " check passed\n" : " check failed\n");
        } else {
            out.append(passed ? "ok" : name + " check failed\n");
        }
        return OpsResponses.text(passed ? 200 : 503, out.toString());
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
