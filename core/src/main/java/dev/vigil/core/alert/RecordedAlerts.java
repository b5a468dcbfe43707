package dev.vigil.core.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/** Reads the alerts {@link RepositoryAlertSink} recorded: one listing per day of the period asked for. */
public final class RecordedAlerts {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedAlerts() {
    }

    /**
     * The alerts raised in {@code [from, to)}, oldest first.
     *
     * @throws IOException when the repository cannot be listed, or a record is damaged (named)
     */
    public static List<RecordedAlert> between(ObjectStore store, Instant from, Instant to) throws IOException {
        List<RecordedAlert> alerts = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(to, ZoneOffset.UTC);
        for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC); !day.isAfter(last); day = day.plusDays(1)) {
            try {
                for (Iterator<ObjectSummary> it = store.listAll(RepositoryLayout.alertsPrefix(day)); it.hasNext(); ) {
                    String key = it.next().key();
                    if (!key.endsWith(".json")) {
                        continue; // some S3-compatible servers list a put in progress under a temporary name
                    }
                    RecordedAlert alert;
                    try (ObjectStream in = store.get(key)) {
                        alert = JSON.readValue(in.readAllBytes(), RecordedAlert.class);
                    } catch (ObjectNotFoundException expiredMeanwhile) {
                        continue;
                    } catch (IOException e) {
                        throw new IOException("recorded alert " + key + " is unreadable or damaged: " + e.getMessage(), e);
                    }
                    Instant time = alert.instant();
                    if (!time.isBefore(from) && time.isBefore(to)) {
                        alerts.add(alert);
                    }
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        alerts.sort(Comparator.comparing(RecordedAlert::instant));
        return alerts;
    }
}
