package dev.vigil.audit;

import static dev.vigil.audit.TestObjects.put;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStoreException;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed between a put and its entry, and between a delete's entry and the delete (played here by intents
 * carrying the tag of a process that has exited): the next process to open the repository finishes both, and the
 * repository audits clean; a live process's intents are left alone, a line torn by the kill is ignored.
 */
class LogIntentsTest {

    @TempDir
    Path dir;

    @Test
    void whatADeadProcessLeftUnloggedIsFinishedByTheNextOne() throws Exception {
        ObjectStore raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        ProcessTag dead = new ProcessTag(exited.pid(), ProcessTag.current().host());
        LogIntents ofTheDead = new LogIntents(dir.resolve("intents"), dead);
        // It stored one object and died before logging it; it logged a delete and died before making it.
        ofTheDead.record(LogEntry.Op.PUT, "partitions/p-1/wal/a.seg");
        put(raw, "partitions/p-1/wal/a.seg", "records");
        LoggingObjectStore before = new LoggingObjectStore(
                raw, new LogAppender(raw), Clock.systemUTC(), "w/1", new LogIntents(dir.resolve("x")));
        put(before, "old/expired.json", "expired");
        ofTheDead.record(LogEntry.Op.DELETE, "old/expired.json");
        new LogAppender(raw).append(seq -> LogEntry.delete(seq, "old/expired.json", java.time.Instant.now(), "dead"));
        // And it meant to store something it never did.
        ofTheDead.record(LogEntry.Op.PUT, "never/stored.json");
        // A live process's intent, mid-put: not touched.
        LogIntents live = new LogIntents(dir.resolve("intents"));
        live.record(LogEntry.Op.PUT, "live/in-flight.json");
        // A line the dead process was writing when it was killed (torn: its operation never began).
        Path deadJournal;
        try (var files = Files.list(dir.resolve("intents"))) {
            deadJournal = files.filter(f -> f.getFileName().toString().endsWith(dead.suffix()))
                    .findFirst()
                    .orElseThrow();
        }
        Files.writeString(deadJournal, "{\"id\":9,\"op\":\"PU", StandardOpenOption.APPEND);

        Auditor auditor = new Auditor(raw, List.of(), Duration.ZERO, Clock.systemUTC());
        assertThat(auditor.audit().findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .containsExactly("INSERTED old/expired.json", "INSERTED partitions/p-1/wal/a.seg");

        LoggingObjectStore next = new LoggingObjectStore(
                raw, new LogAppender(raw), Clock.systemUTC(), "w/2", new LogIntents(dir.resolve("intents")));
        List<String> finished = next.recover();

        assertThat(finished)
                .containsExactlyInAnyOrder(
                        "logged partitions/p-1/wal/a.seg, stored by a process that died before logging it",
                        "deleted old/expired.json, as a process that died had logged it would be",
                        "dropped the intent to store never/stored.json: it was never stored");
        assertThat(auditor.audit().findings()).isEmpty();
        assertThat(new LogIntents(dir.resolve("intents")).abandoned()).isEmpty();
        assertThat(dir.resolve("intents").toFile().list())
                .as("the live process's journal stays; the dead one's, all done, is gone")
                .hasSize(1)
                .noneMatch(name -> name.contains(dead.suffix()));
        live.close();
    }

    /**
     * An intent whose operation failed (stored or not, unknown) stays undone when the journal is replaced: it is
     * carried into the next journal, and found by the next process once this one has died.
     */
    @Test
    void anIntentLeftUndoneByAFailureIsCarriedIntoTheNextJournal() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        ProcessTag dead = new ProcessTag(exited.pid(), ProcessTag.current().host());
        LogIntents intents = new LogIntents(dir.resolve("intents"), dead, 1);
        LogIntents.Intent failed = intents.record(LogEntry.Op.PUT, "partitions/p-1/wal/failed.seg");
        intents.keep(failed);
        LogIntents.Intent logged = intents.record(LogEntry.Op.PUT, "partitions/p-1/wal/logged.seg");
        intents.done(logged); // the journal is past its size: replaced

        assertThat(dir.resolve("intents").toFile().list()).hasSize(1);
        assertThat(dir.resolve("intents").resolve(failed.journal().getFileName()))
                .as("the old journal is gone")
                .doesNotExist();
        assertThat(new LogIntents(dir.resolve("intents")).abandoned())
                .extracting(i -> i.op() + " " + i.key())
                .containsExactly("PUT partitions/p-1/wal/failed.seg");
        intents.close();
    }

    /**
     * The store takes the object but refuses the entry (an outage between the two): the put fails naming the object and
     * saying it is stored unlogged, the intent stays (for the next process on this host once this one has ended), and
     * the audit names the object.
     */
    @Test
    void anObjectStoredButNotLoggedFailsThePutNamedAndIsLoggedLater() throws Exception {
        ObjectStore raw = ObjectStores.localDirectory(dir.resolve("repo"), Clock.systemUTC());
        ObjectStore logRefused = new ForwardingObjectStore(raw) {
            @Override
            public ObjectInfo put(PutRequest request) throws IOException {
                if (request.key().startsWith(LogLayout.ENTRIES)) {
                    throw new ObjectStoreException("the log is unreachable", true, null);
                }
                return super.put(request);
            }
        };
        LogIntents intents = new LogIntents(dir.resolve("intents"));
        LoggingObjectStore failing =
                new LoggingObjectStore(logRefused, new LogAppender(logRefused), Clock.systemUTC(), "w/1", intents);

        assertThatThrownBy(() -> put(failing, "partitions/p-1/wal/a.seg", "records"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("partitions/p-1/wal/a.seg is stored but could not be logged")
                .hasMessageContaining("the log is unreachable");
        assertThat(dir.resolve("intents").toFile().list())
                .as("the intent stays")
                .hasSize(1);
        assertThat(new Auditor(raw, List.of(), Duration.ZERO, Clock.systemUTC())
                        .audit()
                        .findings())
                .extracting(f -> f.kind() + " " + f.subject())
                .containsExactly("INSERTED partitions/p-1/wal/a.seg");
    }
}
