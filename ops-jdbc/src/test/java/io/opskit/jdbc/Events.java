package io.opskit.jdbc;

import io.opskit.core.ActionEvent;
import io.opskit.core.OpsEvents;
import java.util.List;
import java.util.stream.Collectors;

/** Test support: the action events in the history of a real in-memory {@link OpsEvents}. */
final class Events {

    private Events() {
    }

    static List<ActionEvent> actions(OpsEvents events) {
        return events.history().stream().filter(ActionEvent.class::isInstance).map(ActionEvent.class::cast)
                .collect(Collectors.toList());
    }
}
