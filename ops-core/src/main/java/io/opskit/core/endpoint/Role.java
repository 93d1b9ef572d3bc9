package io.opskit.core.endpoint;

/**
 * Who may do what on the operations surface, in increasing order: {@link #ANONYMOUS} reads the
 * probes and the aggregate health, {@link #VIEWER} also reads {@code /ops/*} and sees check names
 * and details, {@link #OPERATOR} also changes things (maintenance, log levels, recordings, heap
 * dumps).
 */
public enum Role {

    /** No credentials. */
    ANONYMOUS,
    /** Reads everything: {@code /ops/*}, check names and details. */
    VIEWER,
    /** Reads everything and acts: maintenance, loggers, JFR, heap dump. */
    OPERATOR;

    /** Whether this role grants at least what {@code required} grants. */
    public boolean atLeast(Role required) {
        return compareTo(required) >= 0;
    }
}
