package dev.vigil.cli.daemon;

import java.util.Map;

/** What {@code GET /health} serves: a JSON document, and whether the process is stopping (HTTP 503). Thread safe. */
interface HealthSource {

    Map<String, Object> document();

    boolean stopping();
}
