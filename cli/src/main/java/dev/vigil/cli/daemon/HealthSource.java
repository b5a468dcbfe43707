package dev.vigil.cli.daemon;

import java.util.List;
import java.util.Map;

/**
 * What {@code GET /health} serves: a JSON document with a {@code status}, and the HTTP status that goes with it. Thread
 * safe.
 */
interface HealthSource {

    /** The health states, in the order they win: a stopping process is stopping whatever else holds. */
    enum Status {
        /** Shutting down: HTTP 503. */
        STOPPING,
        /** Nothing checked yet (the first archive pass, the first database contact): HTTP 503, never UP unchecked. */
        STARTING,
        /** Working, with reasons why some part cannot do its job: HTTP 200, the process itself is fine. */
        DEGRADED,
        /** Every part did its job at its last try: HTTP 200. */
        UP;

        int httpStatus() {
            return this == STOPPING || this == STARTING ? 503 : 200;
        }
    }

    /** A health answer: its status and the whole document, which carries the same status. */
    record Health(Status status, Map<String, Object> document) {}

    /** The health now. */
    Health health();

    /** {@code STOPPING}, else {@code STARTING}, else {@code UP} without reasons, else {@code DEGRADED}. */
    static Status status(boolean stopping, boolean starting, List<String> reasons) {
        return stopping
                ? Status.STOPPING
                : starting ? Status.STARTING : reasons.isEmpty() ? Status.UP : Status.DEGRADED;
    }
}
