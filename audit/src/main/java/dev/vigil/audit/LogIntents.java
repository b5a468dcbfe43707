package dev.vigil.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a process is about to do to the repository and has not logged yet, one small file per put or delete in a local
 * directory ({@code work-dir/state/log-intents}), written durably before the store is touched and removed once the
 * entry is appended. Each file name ends with its process's tag, so that the intents of a process that died on this
 * host (killed between a put and its entry) are found and finished by the next process that opens the repository,
 * and a live process's are left alone. Thread safe.
 */
public final class LogIntents {

    /** An intent file being written ({@code DurableFiles}' temporary name): the intent's own name is group 1. */
    private static final Pattern UNFINISHED = Pattern.compile("\\.(intent-.+)\\.[0-9]+\\.tmp");

    private final Path directory;
    private final ProcessTag self;

    /** One intent: the operation on {@code key}, in the file {@code file}. */
    public record Intent(Path file, LogEntry.Op op, String key) {}

    private record Stored(LogEntry.Op op, String key) {}

    public LogIntents(Path directory) {
        this(directory, ProcessTag.current());
    }

    /** With another process's tag: for tests that play a process that died. */
    LogIntents(Path directory, ProcessTag self) {
        this.directory = directory;
        this.self = self;
    }

    /** Records, durably, that {@code op} on {@code key} is about to be made. */
    public Intent record(LogEntry.Op op, String key) throws IOException {
        Files.createDirectories(directory);
        Path file = directory.resolve("intent-" + UUID.randomUUID() + ".json" + self.suffix());
        try {
            DurableFiles.replace(file, RepositoryJson.MAPPER.writeValueAsBytes(new Stored(op, key)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an intent always serialises", e);
        }
        return new Intent(file, op, key);
    }

    /** The intent is logged: forgets it. */
    public void done(Intent intent) throws IOException {
        Files.deleteIfExists(intent.file());
    }

    /**
     * The intents of processes that died on this host, to be finished; an unreadable one, and one a process was still
     * writing when it died (a temporary file), is dropped.
     */
    public List<Intent> abandoned() throws IOException {
        List<Intent> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                Matcher temporary = UNFINISHED.matcher(name);
                if (temporary.matches()) {
                    // An intent its process was writing when it died: never renamed, so its operation never began.
                    Optional<ProcessTag> writer = ProcessTag.of(temporary.group(1));
                    if (writer.isPresent() && writer.get().isDeadHere()) {
                        Files.deleteIfExists(file);
                    }
                    continue;
                }
                Optional<ProcessTag> tag = ProcessTag.of(name);
                if (tag.isEmpty() || !tag.get().isDeadHere()) {
                    continue;
                }
                try {
                    Stored stored = RepositoryJson.MAPPER.readValue(Files.readAllBytes(file), Stored.class);
                    found.add(new Intent(file, stored.op(), stored.key()));
                } catch (NoSuchFileException finishedMeanwhile) {
                    // another process finished it
                } catch (IOException torn) {
                    // written when the process died: the operation had not started
                    Files.deleteIfExists(file);
                }
            }
        }
        return found;
    }
}
