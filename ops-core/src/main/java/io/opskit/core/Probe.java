package io.opskit.core;

import java.util.Locale;

/** The three Kubernetes probes a check can belong to. */
public enum Probe {
    /** "Restart me": only what a restart fixes (deadlocks, the engine itself). */
    LIVENESS("live"),
    /** "Send me traffic": dependencies, lifecycle and whatever the application adds. */
    READINESS("ready"),
    /** "I have started": passes once every startup check has passed once. */
    STARTUP("started");

    private final String path;

    Probe(String path) {
        this.path = path;
    }

    /** The last path segment of the probe's endpoint: {@code live}, {@code ready}, {@code started}. */
    public String pathSegment() {
        return path;
    }

    /** The lowercase name used in metric tags. */
    public String tagValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
