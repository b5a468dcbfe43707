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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed between a put and its entry, and between a delete's entry and the delete (played here by intents
 * carrying the tag of a process that has exited): the next process to open the repository finishes both, and the
 * repository audits clean; a live process's intents are left alone.
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
        new LogIntents(dir.resolve("intents")).record(LogEntry.Op.PUT, "live/in-flight.json");
        // An intent the dead process was still writing when it was killed (never renamed: its operation never
        // began), and one a live process is writing now.
        java.nio.file.Files.writeString(
                dir.resolve("intents/.intent-0000.json" + dead.suffix() + ".123456789.tmp"), "{\"op\":\"PU");
        java.nio.file.Files.writeString(
                dir.resolve("intents/.intent-0001.json" + ProcessTag.current().suffix() + ".987654321.tmp"), "{");

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
                .as("the live process's intent and the one it is writing stay; the dead one's half-written is gone")
                .hasSize(2)
                .noneMatch(name -> name.contains(dead.suffix()));
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
