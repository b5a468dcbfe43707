package dev.vigil.core.alert;

import dev.vigil.core.repository.JsonDocuments;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.repository.UnreadableDocuments;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Reads the alerts {@link RepositoryAlertSink} recorded: one listing per day of the period asked for. */
public final class RecordedAlerts {

    private RecordedAlerts() {}

    /** The keys of the alerts recorded on the days {@code [from, to)} touches, oldest first within each day. */
    public static List<String> keys(ObjectStore store, Instant from, Instant to) throws IOException {
        List<String> keys = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(to, ZoneOffset.UTC);
        for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC); !day.isAfter(last); day = day.plusDays(1)) {
            keys.addAll(JsonDocuments.keys(store, RepositoryLayout.alertsPrefix(day)));
        }
        return keys;
    }

    /** One recorded alert; empty when it no longer exists. */
    public static Optional<RecordedAlert> read(ObjectStore store, String key) throws IOException {
        return JsonDocuments.read(store, key, RecordedAlert.class);
    }

    /**
     * The alerts raised in {@code [from, to)}, oldest first; a damaged record is noted in {@code unreadable} (with its
     * key) and skipped.
     *
     * @throws IOException when the repository cannot be listed or read
     */
    public static List<RecordedAlert> between(
            ObjectStore store, Instant from, Instant to, UnreadableDocuments unreadable) throws IOException {
        List<RecordedAlert> alerts = new ArrayList<>();
        for (String key : keys(store, from, to)) {
            JsonDocuments.readOrNote(store, key, RecordedAlert.class, unreadable)
                    .filter(a -> !a.time().isBefore(from) && a.time().isBefore(to))
                    .ifPresent(alerts::add);
        }
        alerts.sort(Comparator.comparing(RecordedAlert::time));
        return alerts;
    }
}
