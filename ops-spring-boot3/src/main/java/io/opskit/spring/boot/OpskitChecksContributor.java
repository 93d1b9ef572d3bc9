package io.opskit.spring.boot;

import io.opskit.core.CheckState;
import io.opskit.core.Ops;
import java.util.Iterator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.NamedContributor;

/**
 * opskit's own checks ({@code db:connection}, {@code hikari:utilization}, {@code redis:*},
 * {@code disk:space}, {@code lifecycle:state}, ...) as one Actuator composite, {@code opskit}:
 * {@code /actuator/health/opskit/db:connection} (Boot 3; the Boot 4 twin has the same name in
 * ops-spring-boot). Its children follow the checks registered at the moment of the request; each
 * answers from opskit's snapshot.
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
    public Iterator<NamedContributor<HealthContributor>> iterator() {
        return ops.health().checks().stream()
                .map(CheckState::name)
                .filter(name -> !bridge.isBridged(name))
                .map(name -> NamedContributor.<HealthContributor>of(name, new SnapshotHealthIndicator(ops, name, null)))
                .iterator();
    }
}
