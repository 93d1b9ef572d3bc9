package io.opskit.core;

import java.util.Objects;

/**
 * Who the health document is about: the top-level {@code serviceId}, {@code version},
 * {@code releaseId} and {@code description} of {@code application/health+json}. Empty strings
 * are left out of the document.
 *
 * @param serviceId   a unique identifier of the service
 * @param version     the public version of the service (the draft's {@code version})
 * @param releaseId   the release of the implementation (the draft's {@code releaseId})
 * @param description a human description of the service
 */
public record ServiceInfo(String serviceId, String version, String releaseId, String description) {

    /** No service information. */
    public static final ServiceInfo EMPTY = new ServiceInfo("", "", "", "");

    /** Replaces {@code null} with empty strings. */
    public ServiceInfo {
        serviceId = Objects.requireNonNullElse(serviceId, "");
        version = Objects.requireNonNullElse(version, "");
        releaseId = Objects.requireNonNullElse(releaseId, "");
        description = Objects.requireNonNullElse(description, "");
    }
}
