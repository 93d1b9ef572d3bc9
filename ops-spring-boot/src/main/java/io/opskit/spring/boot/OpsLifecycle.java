package io.opskit.spring.boot;

import io.opskit.core.CheckRegistration;
import io.opskit.core.Lifecycle;
import io.opskit.core.Ops;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Makes Spring Boot's availability and opskit's lifecycle one:
 * <ul>
 *   <li>Boot's {@link ReadinessState#ACCEPTING_TRAFFIC} (after the application is ready) marks opskit READY;</li>
 *   <li>on shutdown, before the web server's graceful shutdown (a higher {@link SmartLifecycle} phase
 *       stops first), readiness turns {@link ReadinessState#REFUSING_TRAFFIC} and opskit drains: the
 *       server keeps serving for the drain delay so load balancers notice, then graceful shutdown
 *       lets in-flight requests finish.</li>
 * </ul>
 */
final class OpsLifecycle implements SmartLifecycle, ApplicationListener<AvailabilityChangeEvent<?>> {

    /** Stops before {@code WebServerGracefulShutdownLifecycle} (phase {@code Integer.MAX_VALUE - 1024}). */
    static final int PHASE = Integer.MAX_VALUE - 512;

    private static final Logger LOG = LoggerFactory.getLogger(OpsLifecycle.class);

    private final Ops ops;
    private final ApplicationEventPublisher publisher;
    private final Duration drain;
    private final CheckSettings settings;
    private volatile boolean running;

    OpsLifecycle(Ops ops, ApplicationEventPublisher publisher, Duration drain, CheckSettings settings) {
        if (drain == null || drain.isNegative()) {
            throw new IllegalArgumentException("opskit.lifecycle.drain must be zero or positive, but was " + drain
                    + ": use e.g. 5s");
        }
        this.ops = ops;
        this.publisher = publisher;
        this.drain = drain;
        this.settings = settings;
    }

    @Override
    public void start() {
        applySettings();
        running = true;
    }

    /**
     * {@code opskit.checks.<name>.*} for the checks opskit's own parts registered (db:connection,
     * redis:*, disk:space, ...), once every part is wired: each is registered again with its settings.
     */
    private void applySettings() {
        for (CheckRegistration r : ops.registrations()) {
            if (r.componentType().equals(BridgedChecks.COMPONENT_TYPE) || !settings.hasAny(r.name())) {
                continue;
            }
            CheckRegistration changed = settings.apply(r, r.name());
            ops.unregister(r.name());
            ops.register(changed);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (ops.lifecycle() == Lifecycle.DRAINING || ops.lifecycle() == Lifecycle.STOPPED) {
            return;
        }
        AvailabilityChangeEvent.publish(publisher, this, ReadinessState.REFUSING_TRAFFIC);
        LOG.info("opskit: readiness refused, draining for {} ms before the web server shuts down", drain.toMillis());
        ops.drain(drain);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
        if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC) {
            ops.markReady();
        }
    }
}
