package dev.vigil.testkit.store;

import dev.vigil.core.store.LocalObjectFile;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
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
        Path file = root.resolve("repo").resolve(key);
        long payload = LocalObjectFile.readHeader(file, "test", key).payloadOffset();
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(payload + offset);
            int b = raw.read();
            raw.seek(payload + offset);
            raw.write(b ^ 0xff);
        }
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
    }
}
