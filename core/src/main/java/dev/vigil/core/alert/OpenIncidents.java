package dev.vigil.core.alert;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a process keeps the incidents it has open, so that they outlive a restart: a daemon that stops during an
 * outage and starts after it resolves the outage's incidents instead of forgetting them, and one that starts during
 * it updates them instead of paging them again. A file in the work directory (written durably, read at start) for a
 * process that owns its work directory; in memory for everything else. Used by one {@link AlertDispatcher}; not thread
 * safe.
 */
public abstract sealed class OpenIncidents {

    private static final Logger LOG = LoggerFactory.getLogger(OpenIncidents.class);

    /** The current version of the file; a newer one is not read (its incidents are paged again, nothing else). */
    static final int VERSION = 1;

    /** An open incident as kept: its latest firing notification and when a notification was last sent. */
    public record Stored(Alert alert, Instant lastNotified) {}

    /** Incidents that end with the process (one-shot commands, tests). */
    public static OpenIncidents inMemory() {
        return new InMemory();
    }

    /** Incidents kept in {@code file} (created when first needed, with its directory). */
    public static OpenIncidents file(Path file) {
        return new InFile(file);
    }

    /** The incidents open when the process last saved them; empty (with a warning) when they cannot be read. */
    abstract List<Stored> load();

    abstract void save(List<Stored> incidents) throws IOException;

    abstract String describe();

    private static final class InMemory extends OpenIncidents {
        @Override
        List<Stored> load() {
            return List.of();
        }

        @Override
        void save(List<Stored> incidents) {}

        @Override
        String describe() {
            return "memory";
        }
    }

    private static final class InFile extends OpenIncidents {
        private final Path file;

        InFile(Path file) {
            this.file = file;
        }

        @Override
        List<Stored> load() {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                return List.of();
            } catch (IOException e) {
                LOG.warn(
                        "cannot read the open incidents in {} ({}); open conditions are paged again",
                        file,
                        e.getMessage());
                return List.of();
            }
            Document document;
            try {
                document = RepositoryJson.MAPPER.readValue(bytes, Document.class);
            } catch (JsonProcessingException e) {
                LOG.warn("{} is damaged ({}); open conditions are paged again", file, e.getOriginalMessage());
                return List.of();
            } catch (IOException e) {
                LOG.warn(
                        "cannot read the open incidents in {} ({}); open conditions are paged again",
                        file,
                        e.getMessage());
                return List.of();
            }
            if (document.version() > VERSION) {
                LOG.warn(
                        "{} was written by a newer Vigil (version {}, this one reads {}); open conditions are paged"
                                + " again",
                        file,
                        document.version(),
                        VERSION);
                return List.of();
            }
            List<Stored> incidents = new ArrayList<>();
            for (JsonNode entry : document.incidents() == null ? List.<JsonNode>of() : document.incidents()) {
                Entry.read(entry).ifPresent(incidents::add);
            }
            return incidents;
        }

        @Override
        void save(List<Stored> incidents) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            List<JsonNode> entries = incidents.stream()
                    .map(stored -> RepositoryJson.MAPPER.<JsonNode>valueToTree(Entry.of(stored)))
                    .toList();
            DurableFiles.replace(file, RepositoryJson.PRETTY.writeValueAsBytes(new Document(VERSION, entries)));
        }

        @Override
        String describe() {
            return file.toString();
        }
    }

    /** The file's content. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Document(int version, @Nullable List<JsonNode> incidents) {}

    /**
     * One incident in the file: the alert's fields (as sinks see them) and when it was last notified. Read one by one, so
     * that an incident this Vigil cannot read (a newer type, an invalid field) costs only itself.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Entry(
            AlertType type,
            Severity severity,
            Instant time,
            Instant startsAt,
            Instant lastNotified,
            @Nullable PartitionId partition,
            @Nullable ReplicaId replica,
            @Nullable Long firstLsn,
            @Nullable Long lastLsn,
            String message,
            String action,
            String key,
            @Nullable Map<String, String> details) {

        static Entry of(Stored stored) {
            Alert a = stored.alert();
            return new Entry(
                    a.type(),
                    a.severity(),
                    a.time(),
                    a.startsAt(),
                    stored.lastNotified(),
                    a.partition().orElse(null),
                    a.replica().orElse(null),
                    a.lsnRange().map(LsnRange::first).orElse(null),
                    a.lsnRange().map(LsnRange::last).orElse(null),
                    a.message(),
                    a.action(),
                    a.key(),
                    a.details());
        }

        /** The incident, or empty (with a warning) when this Vigil does not know its type or a field is invalid. */
        static Optional<Stored> read(JsonNode node) {
            try {
                Entry entry = RepositoryJson.MAPPER.treeToValue(node, Entry.class);
                return Optional.of(entry.toStored());
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.warn(
                        "an open incident ({}) cannot be read back ({}); it is paged again if it still holds",
                        node.path("key").asText("?"),
                        e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage());
                return Optional.empty();
            }
        }

        private Stored toStored() {
            Alert alert = new Alert(
                    type,
                    severity,
                    time,
                    Optional.ofNullable(partition),
                    Optional.ofNullable(replica),
                    firstLsn == null || lastLsn == null
                            ? Optional.empty()
                            : Optional.of(new LsnRange(firstLsn, lastLsn)),
                    message,
                    action,
                    key,
                    details == null ? Map.of() : details,
                    AlertStatus.FIRING,
                    startsAt);
            return new Stored(alert, lastNotified);
        }
    }
}
