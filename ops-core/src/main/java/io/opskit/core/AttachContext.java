package io.opskit.core;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.opskit.core.endpoint.OpsEndpoint;

/**
 * What an {@link OpsComponent} attaches itself through: each method does one thing to the
 * {@link Ops} now and records how to undo it when the {@link Attachment} is closed. It stays usable
 * after {@link OpsComponent#attachTo} returned (a breaker added later registers its check here)
 * until the attachment is closed; afterwards every method throws {@link IllegalStateException}.
 */
public interface AttachContext {

    /** The Ops attached to: its events, scheduler and {@link Ops#refresh(String) refresh} for listeners. */
    Ops ops();

    /**
     * Registers a check now; it is unregistered on detach.
     *
     * @throws IllegalArgumentException when a check of that name is registered already
     */
    void check(CheckRegistration registration);

    /** Unregisters a check this attachment registered (a breaker removed from its registry); returns whether it did. */
    boolean uncheck(String name);

    /**
     * Binds {@code binder} to {@link Ops#meterRegistry()} now; the meters that binding added are
     * removed on detach. A meter that was in the registry already (bound by someone else) is shared,
     * never removed.
     */
    void meters(MeterBinder binder);

    /**
     * Contributes an endpoint to {@link Ops#endpoints()} now; it is removed on detach.
     *
     * @throws IllegalArgumentException when its path is taken
     */
    void endpoint(OpsEndpoint endpoint);

    /** Runs {@code undo} on detach (e.g. closes the handle of a listener); like everything else, newest first. */
    void onDetach(AutoCloseable undo);
}
