package dev.vigil.testkit.alert;

import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertResolution;
import dev.vigil.core.alert.AlertType;
import java.util.ArrayList;
import java.util.List;

/** Collects raised alerts and resolutions so tests can assert on exactly what was raised and ended. Thread safe. */
public final class RecordingAlerts implements AlertPublisher {

    private final List<Alert> alerts = new ArrayList<>();
    private final List<AlertResolution> resolutions = new ArrayList<>();

    @Override
    public synchronized void resolve(AlertResolution resolution) {
        resolutions.add(resolution);
    }

    /** Every resolution asked for, in order (whether or not an incident was open). */
    public synchronized List<AlertResolution> resolutions() {
        return List.copyOf(resolutions);
    }

    @Override
    public synchronized void raise(Alert alert) {
        alerts.add(alert);
    }

    public synchronized List<Alert> all() {
        return List.copyOf(alerts);
    }

    public synchronized List<Alert> ofType(AlertType type) {
        return alerts.stream().filter(a -> a.type() == type).toList();
    }

    public synchronized void clear() {
        alerts.clear();
        resolutions.clear();
    }
}
