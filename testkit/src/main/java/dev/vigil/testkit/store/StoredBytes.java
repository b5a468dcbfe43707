package dev.vigil.testkit.store;

import dev.vigil.core.store.LocalObjectFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/** Damages what a local-directory repository stores, as bit rot would: for tests that must find it. */
public final class StoredBytes {

    private StoredBytes() {}

    /** XORs {@code mask} into the byte at {@code offset} of {@code key}'s stored payload under {@code root}. */
    public static void flip(Path root, String key, long offset, int mask) throws IOException {
        Path file = root.resolve(key);
        long payload = LocalObjectFile.readHeader(file, "test", key).payloadOffset();
        try (RandomAccessFile bytes = new RandomAccessFile(file.toFile(), "rw")) {
            bytes.seek(payload + offset);
            int b = bytes.read();
            bytes.seek(payload + offset);
            bytes.write(b ^ mask);
        }
    }
}
