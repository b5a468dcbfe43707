package dev.vigil.cli.daemon;

import java.util.List;
import java.util.Map;

/** What {@code GET /health} serves: a JSON document, and whether the process is stopping (HTTP 503). Thread safe. */
interface HealthSource {

    Map<String, Object> document();

    boolean stopping();

    /** The document's {@code status}: {@code STOPPING}, else {@code UP} without reasons, else {@code DEGRADED}. */
    static String status(boolean stopping, List<String> reasons) {
        return stopping ? "STOPPING" : reasons.isEmpty() ? "UP" : "DEGRADED";
    }
}
