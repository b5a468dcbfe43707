package dev.vigil.audit;

import dev.vigil.tlog.MerkleHashes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The leaf hashes of a repository's log as this machine read them, in a local file (32 bytes each, in order), so that
 * signing a checkpoint reads only the entries appended since the last one, not the whole log. Local and trusted: an
 * entry rewritten in the repository after it was cached is not read again, so the checkpoints signed here keep
 * committing to the entry as it was first read (and the audit names the rewrite). One file per repository and log
 * (named by a hash of both); a process takes the file's lock while it reads and extends it. Thread safe across
 * processes.
 */
public final class LeafCache {

    private final Path file;

    private LeafCache(Path file) {
        this.file = file;
    }

    /** The cache for the log {@code origin} of the repository {@code repository} (its description), under {@code directory}. */
    public static LeafCache in(Path directory, String repository, String origin) {
        byte[] name = LoggingObjectStore.sha256().digest((repository + "\n" + origin).getBytes(StandardCharsets.UTF_8));
        return new LeafCache(directory.resolve("log-leaves-" + HexFormat.of().formatHex(name, 0, 8) + ".bin"));
    }

    /** What is cached, and a way to add to it, while the file is locked. */
    interface Extension {
        void extend(List<byte[]> cached, Appender appender) throws IOException;
    }

    /** Adds leaf hashes at the end of the cache. */
    interface Appender {
        void append(byte[] leafHash) throws IOException;
    }

    /** Runs {@code extension} with the cached leaves and an appender, holding the file's lock; forces what it added. */
    void withLock(Extension extension) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel channel = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            long whole = channel.size() - channel.size() % MerkleHashes.SIZE; // a torn last hash is dropped
            ByteBuffer all = ByteBuffer.allocate(Math.toIntExact(whole));
            while (all.hasRemaining() && channel.read(all, all.position()) >= 0) {
                // read on
            }
            List<byte[]> cached = new ArrayList<>();
            for (int i = 0; i < whole; i += MerkleHashes.SIZE) {
                byte[] hash = new byte[MerkleHashes.SIZE];
                all.get(i, hash);
                cached.add(hash);
            }
            channel.truncate(whole);
            long[] end = {whole};
            extension.extend(cached, hash -> {
                channel.write(ByteBuffer.wrap(hash), end[0]);
                end[0] += hash.length;
            });
            channel.force(false);
            if (!lock.isValid()) {
                throw new IOException("lost the lock of " + file);
            }
        }
    }
}
