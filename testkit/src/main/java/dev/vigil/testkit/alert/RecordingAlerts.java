package dev.vigil.testkit.alert;

import dev.vigil.core.alert.Alert;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.alert.AlertType;
import java.util.ArrayList;
import java.util.List;

/** Collects raised alerts so tests can assert on exactly what was raised. Thread safe. */
public final class RecordingAlerts implements AlertPublisher {

    private final List<Alert> alerts = new ArrayList<>();

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
    }
}
