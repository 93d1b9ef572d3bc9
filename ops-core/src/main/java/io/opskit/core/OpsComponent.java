package io.opskit.core;

/**
 * A part of opskit that attaches itself to an {@link Ops}: the one way to put a watchdog, a
 * tracker, a set of dependency checks or a sink to work ({@code ops.attach(leaks, queries, watchdog)}).
 * A component registers its checks, binds its meters to {@link Ops#meterRegistry()}, contributes
 * its endpoints to {@link Ops#endpoints()} and wires its listeners, each through the
 * {@link AttachContext} it is given, so that closing the {@link Attachment} undoes all of it.
 *
 * <p>Attaching starts nothing: a component that runs a job (a reaper, a pool watchdog) is started
 * and closed by its owner, before or after attaching. A single check is not a component: register
 * it with {@link Ops#register(CheckRegistration)}.
 */
@FunctionalInterface
public interface OpsComponent {

    /**
     * Attaches this component through {@code context}. Called by {@link Ops#attach(OpsComponent...)},
     * once per attachment; must return promptly and must not start threads.
     *
     * @throws RuntimeException to refuse; {@link Ops#attach} then undoes what this call did so far
     */
    void attachTo(AttachContext context);
}
