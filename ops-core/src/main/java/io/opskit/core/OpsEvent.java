package io.opskit.core;

import java.time.Instant;

/**
 * Something opskit observed or did, kept in the bounded event history: a
 * {@link StatusChangeEvent} or an {@link ActionEvent}.
 */
public sealed interface OpsEvent permits StatusChangeEvent, ActionEvent {

    /** When it happened. */
    Instant time();

    /** What it is about: a check name, or the component that acted (e.g. {@code postgres:reaper}). */
    String source();

    /** One human line describing it, already redacted. */
    String describe();
}
