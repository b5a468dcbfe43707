package dev.vigil.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryObjectStoreContractTest extends ObjectStoreContract {

    @TempDir
    Path root;

    private ObjectStore store;

    @Override
    protected ObjectStore store() throws Exception {
        store = ObjectStores.localDirectory(root.resolve("repo"), Clock.systemUTC());
        return store;
    }

    @Override
    protected void corruptStoredBytes(String key, long offset) throws Exception {
        StoredBytes.flip(root.resolve("repo"), key, offset, 0xff);
    }

    /** A put killed mid-write (kill -9, a second Ctrl-C) leaves a temporary file; the next store on this host removes it. */
    @Test
    void temporaryFilesOfADeadWriterAreRemovedAtOnceOthersAgeOut() throws Exception {
        Path temp = Files.createDirectories(root.resolve("repo").resolve(".vigil-tmp"));
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        Path dead = Files.write(
                temp.resolve("put-123.tmp-" + ended.pid() + "@"
                        + ProcessTag.current().host()),
                new byte[10]);
        Path live =
                Files.write(temp.resolve("put-456.tmp" + ProcessTag.current().suffix()), new byte[10]);
        Path otherHost = Files.write(temp.resolve("put-789.tmp-" + ended.pid() + "@elsewhere"), new byte[10]);

        store = ObjectStores.localDirectory(root.resolve("repo"), Clock.systemUTC());

        assertThat(dead).doesNotExist();
        assertThat(live).exists();
        assertThat(otherHost).exists();
    }

    /** The lock replacements and deletes take is never aged out with the temporaries: deleting it would break it. */
    @Test
    void theMutationLockFileSurvivesTheSweepOfStaleTemporaries() throws Exception {
        store = ObjectStores.localDirectory(root.resolve("repo"), Clock.systemUTC());
        store.put(put("k/a", randomBytes(10, 1), false, java.util.Map.of()));
        store.delete("k/a");
        Path lock = root.resolve("repo").resolve(".vigil-tmp").resolve("mutations.lock");
        assertThat(lock).exists();
        Files.setLastModifiedTime(lock, java.nio.file.attribute.FileTime.from(java.time.Instant.EPOCH));

        store.abortIncompleteUploads("", java.time.Instant.now().plusSeconds(86_400));

        assertThat(lock).exists();
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
    }
}
