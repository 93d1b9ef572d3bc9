package io.opskit.core.endpoint;

import java.util.Locale;

/**
 * Who sees check names ({@code showComponents}) or check details and outputs
 * ({@code showDetails}), like Spring Boot's {@code show-components}/{@code show-details}. The
 * aggregate status is always visible.
 */
public enum Visibility {

    /** Nobody, whatever the role. */
    NEVER,
    /** Callers with the viewer role or higher. */
    WHEN_AUTHORIZED,
    /** Everybody, also anonymous callers: only for a management port no one else reaches. */
    ALWAYS;

    /** Whether {@code role} sees what this visibility guards. */
    public boolean allows(Role role) {
        return this == ALWAYS || this == WHEN_AUTHORIZED && role.atLeast(Role.VIEWER);
    }

    /**
     * Parses {@code never}, {@code when-authorized} (or {@code when_authorized}) and {@code always},
     * case-insensitive, for configuration from the environment.
     */
    public static Visibility parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        switch (v) {
            case "never":
                return NEVER;
            case "when-authorized":
                return WHEN_AUTHORIZED;
            case "always":
                return ALWAYS;
            default:
                throw new IllegalArgumentException("visibility must be 'never', 'when-authorized' or 'always', but was '"
                        + value + "': use 'when-authorized' to show names and details to viewers and operators");
        }
    }
}
