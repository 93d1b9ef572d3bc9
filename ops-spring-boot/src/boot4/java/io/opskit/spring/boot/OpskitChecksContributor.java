package io.opskit.spring.boot;

import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import java.util.stream.Stream;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;

/**
 * opskit's own checks ({@code db:connection}, {@code hikari:utilization}, {@code redis:*},
 * {@code disk:space}, {@code lifecycle:state}, ...) as one Actuator composite, {@code opskit}:
 * {@code /actuator/health/opskit/db:connection}. Its children follow the checks registered at the
 * moment of the request; each answers from opskit's snapshot.
 */
final class OpskitChecksContributor implements CompositeHealthContributor {

    /** The contributor's name in Actuator. */
    static final String NAME = "opskit";

    private final Ops ops;
    private final ActuatorBridge bridge;

    OpskitChecksContributor(Ops ops, ActuatorBridge bridge) {
        this.ops = ops;
        this.bridge = bridge;
    }

    @Override
    public HealthContributor getContributor(String name) {
        if (bridge.isBridged(name) || ops.check(name).isEmpty()) {
            return null;
        }
        return new SnapshotHealthIndicator(ops, name, null);
    }

    @Override
    public Stream<HealthContributors.Entry> stream() {
        return ops.health().checks().stream()
                .map(CheckState::name)
                .filter(name -> !bridge.isBridged(name))
                .map(name -> new HealthContributors.Entry(name, new SnapshotHealthIndicator(ops, name, null)));
    }
}
