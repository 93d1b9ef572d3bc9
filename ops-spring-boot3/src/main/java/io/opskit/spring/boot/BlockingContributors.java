package io.opskit.spring.boot;

import java.util.Iterator;
import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.CompositeReactiveHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.ReactiveHealthContributor;
import org.springframework.boot.actuate.health.ReactiveHealthIndicator;

/**
 * Boot 3's reactive contributors as blocking ones, as Boot 3's own health configuration adapts them
 * (privately) for a servlet application: Redis's indicator is reactive whenever Lettuce brings Reactor.
 * Blocking is safe here: opskit runs each on its own workers, under the check's deadline, never on a
 * request thread. Loaded only when Reactor is present.
 */
final class BlockingContributors {

    private BlockingContributors() {
    }

    static HealthContributor of(ReactiveHealthContributor contributor) {
        if (contributor instanceof ReactiveHealthIndicator indicator) {
            return new HealthIndicator() {
                @Override
                public Health getHealth(boolean includeDetails) {
                    return indicator.getHealth(includeDetails).block();
                }

                @Override
                public Health health() {
                    return indicator.health().block();
                }
            };
        }
        if (contributor instanceof CompositeReactiveHealthContributor composite) {
            return new CompositeHealthContributor() {
                @Override
                public HealthContributor getContributor(String name) {
                    ReactiveHealthContributor child = composite.getContributor(name);
                    return child == null ? null : of(child);
                }

                @Override
                public Iterator<NamedContributor<HealthContributor>> iterator() {
                    Iterator<NamedContributor<ReactiveHealthContributor>> children = composite.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return children.hasNext();
                        }

                        @Override
                        public NamedContributor<HealthContributor> next() {
                            NamedContributor<ReactiveHealthContributor> next = children.next();
                            return NamedContributor.of(next.getName(), of(next.getContributor()));
                        }
                    };
                }
            };
        }
        throw new IllegalArgumentException("opskit: unknown kind of reactive health contributor "
                + contributor.getClass().getName());
    }
}
