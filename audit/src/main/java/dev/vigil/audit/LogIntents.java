package dev.vigil.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.repository.RepositoryJson;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What a process is about to do to the repository and has not logged yet, kept in a journal on local disk
 * ({@code work-dir/state/log-intents/journal-<id>.jsonl-<pid>@<host>}, one per process): an intent is appended, and
 * forced to disk, before the store is touched; a line saying it is done is appended once its entry is in the log. The
 * journal's name ends with its process's tag, so that the intents of a process that died on this host (killed between
 * a put and its entry) are found and finished by the next process that opens the repository, and a live process's are
 * left alone. One file per process, appended, is one {@code fdatasync} per intent (threads recording at once share it),
 * where a file per intent cost a file and a directory sync and a rename. A "done" line is forced for a delete only: a
 * put found undone after a power loss is logged again (a repeated entry is harmless), a delete made again could remove
 * an object stored since. A line torn by a crash is ignored: its operation had not begun. Thread safe.
 */
public final class LogIntents implements Closeable {

    /** A journal whose intents are all done is replaced by a fresh one once it is this large. */
    private static final long ROTATE_AT = 1 << 20;

    private final long rotateAt;

    private static final String PREFIX = "journal-";

    private final Path directory;
    private final ProcessTag self;
    private final Object lock = new Object();
    // Guarded by lock:
    private @Nullable FileChannel journal;
    private @Nullable Path journalFile;
    private long nextId;
    /** Intents of this journal whose operation is under way: the journal is not replaced while there are any. */
    private final Set<Long> outstanding = new HashSet<>();
    /** Intents of this journal left undone by a failed operation ({@link #keep}): carried into the next journal. */
    private final Map<Long, Intent> kept = new LinkedHashMap<>();
    /** Dead processes' journals this process took over ({@link #abandoned}), until nothing in them is undone. */
    private final Set<Path> claimed = new HashSet<>();

    /** One intent: the operation on {@code key}, number {@code id} in the journal {@code journal}. */
    public record Intent(Path journal, long id, LogEntry.Op op, String key) {}

    /** A journal line: an intent ({@code op} and {@code key}), or that intent {@code done} is done. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private record Line(
            @Nullable Long id,
            LogEntry.@Nullable Op op,
            @Nullable String key,
            @Nullable Long done) {}

    public LogIntents(Path directory) {
        this(directory, ProcessTag.current());
    }

    /** With another process's tag: for tests that play a process that died. */
    LogIntents(Path directory, ProcessTag self) {
        this(directory, self, ROTATE_AT);
    }

    /** As above, replacing the journal once it is {@code rotateAt} bytes (for tests). */
    LogIntents(Path directory, ProcessTag self, long rotateAt) {
        this.directory = directory;
        this.self = self;
        this.rotateAt = rotateAt;
    }

    /** Records, durably, that {@code op} on {@code key} is about to be made. */
    public Intent record(LogEntry.Op op, String key) throws IOException {
        FileChannel channel;
        Intent intent;
        synchronized (lock) {
            channel = open();
            intent = new Intent(file(), nextId++, op, key);
            write(channel, new Line(intent.id(), op, key, null));
            outstanding.add(intent.id());
        }
        channel.force(false); // outside the lock: threads recording at once share the disk's flush
        return intent;
    }

    /** The intent is logged (or, for a dead process's, finished): forgets it. */
    public void done(Intent intent) throws IOException {
        synchronized (lock) {
            FileChannel channel = journal;
            if (channel != null && intent.journal().equals(journalFile)) {
                write(channel, new Line(null, null, null, intent.id()));
                if (intent.op() == LogEntry.Op.DELETE) {
                    channel.force(false);
                }
                outstanding.remove(intent.id());
                if (outstanding.isEmpty() && channel.size() >= rotateAt) {
                    rotate(channel);
                }
                return;
            }
        }
        // A journal taken over from a dead process: say so in it, durably; the sweep removes it once nothing is undone.
        try (FileChannel dead = FileChannel.open(intent.journal(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            dead.position(dead.size());
            if (dead.size() > 0) {
                ByteBuffer last = ByteBuffer.allocate(1);
                dead.read(last, dead.size() - 1);
                if (last.get(0) != '\n') {
                    write(dead, "\n"); // after a line torn by the crash: this one must stand alone
                }
            }
            write(dead, new Line(null, null, null, intent.id()));
            dead.force(false);
        } catch (NoSuchFileException finishedMeanwhile) {
            // another process finished it
        }
    }

    /**
     * The operation failed and its outcome is unknown (the object may be stored, unlogged): the intent stays undone,
     * for the next process on this host once this one has ended, and no longer holds this journal open.
     */
    public void keep(Intent intent) {
        synchronized (lock) {
            if (intent.journal().equals(journalFile) && outstanding.remove(intent.id())) {
                kept.put(intent.id(), intent);
            }
        }
    }

    /** A fresh journal with the kept intents carried over, the old one removed; under the lock. */
    private void rotate(FileChannel old) throws IOException {
        Path oldFile = file();
        journal = null;
        journalFile = null;
        List<Intent> carried = new ArrayList<>(kept.values());
        kept.clear();
        if (!carried.isEmpty()) {
            FileChannel fresh = open();
            for (Intent intent : carried) {
                Intent again = new Intent(file(), nextId++, intent.op(), intent.key());
                write(fresh, new Line(again.id(), again.op(), again.key(), null));
                kept.put(again.id(), again);
            }
            fresh.force(false);
        }
        old.close();
        Files.deleteIfExists(oldFile);
    }

    /**
     * The undone intents of processes that died on this host, to be finished, oldest first. Each dead journal is first
     * taken over, by renaming it to a name of this process (atomic: of several processes starting at once, one takes
     * it, so no intent is finished twice; if this one dies too, the next takes it over again); one with nothing undone
     * is removed.
     */
    public List<Intent> abandoned() throws IOException {
        List<Intent> found = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return found;
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(directory)) {
            files = listed.toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            Optional<ProcessTag> tag = ProcessTag.of(name);
            if (!name.startsWith(PREFIX) || tag.isEmpty() || !tag.get().isDeadHere()) {
                continue;
            }
            Path mine = directory.resolve(PREFIX + UUID.randomUUID() + ".jsonl" + self.suffix());
            try {
                Files.move(file, mine, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException takenByAnother) {
                continue;
            }
            List<Intent> undone = undone(mine);
            if (undone.isEmpty()) {
                Files.deleteIfExists(mine);
                continue;
            }
            synchronized (lock) {
                claimed.add(mine);
            }
            found.addAll(undone);
        }
        return found;
    }

    /** Removes the journals taken over whose intents are all done (once {@link #abandoned} were finished). */
    public void sweep() throws IOException {
        List<Path> taken;
        synchronized (lock) {
            taken = new ArrayList<>(claimed);
        }
        for (Path file : taken) {
            boolean finished;
            try {
                finished = undone(file).isEmpty();
            } catch (NoSuchFileException gone) {
                finished = true;
            }
            if (finished) {
                Files.deleteIfExists(file);
                synchronized (lock) {
                    claimed.remove(file);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (journal != null) {
                journal.close();
                if (outstanding.isEmpty() && kept.isEmpty() && journalFile != null) {
                    Files.deleteIfExists(journalFile);
                }
                journal = null;
                journalFile = null;
            }
        }
    }

    private static List<Intent> undone(Path file) throws IOException {
        Map<Long, Intent> open = new LinkedHashMap<>();
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Line line;
            try {
                line = RepositoryJson.MAPPER.readValue(text, Line.class);
            } catch (JsonProcessingException torn) {
                continue; // written when the process died: its operation had not begun
            }
            Long id = line.id();
            LogEntry.Op op = line.op();
            String key = line.key();
            if (line.done() != null) {
                open.remove(line.done());
            } else if (id != null && op != null && key != null) {
                open.put(id, new Intent(file, id, op, key));
            }
        }
        return new ArrayList<>(open.values());
    }

    /** This process's journal, created (and its directory entry made durable) on first use; under the lock. */
    private FileChannel open() throws IOException {
        FileChannel channel = journal;
        if (channel != null) {
            return channel;
        }
        Files.createDirectories(directory);
        Path file = directory.resolve(PREFIX + UUID.randomUUID() + ".jsonl" + self.suffix());
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        DurableFiles.forceDirectory(directory);
        journal = channel;
        journalFile = file;
        return channel;
    }

    private Path file() {
        Path file = journalFile;
        if (file == null) {
            throw new IllegalStateException("the journal is open");
        }
        return file;
    }

    private static void write(FileChannel channel, Line line) throws IOException {
        try {
            write(channel, RepositoryJson.MAPPER.writeValueAsString(line) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a journal line always serialises", e);
        }
    }

    private static void write(FileChannel channel, String text) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
