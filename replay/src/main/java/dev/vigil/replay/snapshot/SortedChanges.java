package dev.vigil.replay.snapshot;

import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.WalRecord;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The net changes of a stretch of WAL, per key the last one (last writer wins; a delete is kept as a tombstone), in
 * key order with bounded memory: changes are collected in a sorted map until they take {@code memoryBytes}, then
 * written to a sorted run file in {@code directory} and the map starts again. The runs, oldest first, and what is still
 * in memory are then merged by {@link SnapshotMerge}, a later run winning over an earlier one for the same key. A run
 * file ends with a count of its entries, so one cut short (a full disk) is an error naming it, never fewer changes.
 * Owns its directory; not thread safe.
 */
final class SortedChanges implements AutoCloseable {

    /** Bytes counted per change beside its key and value: the map's node, the change, the arrays' headers. */
    private static final int OVERHEAD = 96;

    private static final int END = -1;
    private static final int DELETED = -1;

    /** One change: a key's value and the LSN that wrote it, or its deletion ({@code value} null). */
    record Change(byte[] key, long lsn, byte @Nullable [] value) {}

    private final Path directory;
    private final long memoryBytes;
    private final List<Path> runs = new ArrayList<>();
    private TreeMap<byte[], Change> pending = new TreeMap<>(Arrays::compareUnsigned);
    private long pendingBytes;
    private long spilledBytes;

    SortedChanges(Path directory, long memoryBytes) throws IOException {
        if (memoryBytes < 1) {
            throw new IllegalArgumentException("memory for changes must be positive, was " + memoryBytes);
        }
        this.directory = directory;
        this.memoryBytes = memoryBytes;
        DurableFiles.deleteRecursively(directory);
        Files.createDirectories(directory);
    }

    /** Records the change of {@code record}, which comes after every change added before. */
    void add(WalRecord record) throws IOException {
        byte @Nullable [] value = record.op() == Op.PUT ? record.value() : null;
        Change change = new Change(record.key(), record.lsn(), value);
        Change replaced = pending.put(record.key(), change);
        if (replaced != null) {
            pendingBytes -= cost(replaced);
        }
        pendingBytes += cost(change);
        if (pendingBytes >= memoryBytes) {
            spill();
        }
    }

    private static long cost(Change change) {
        byte[] value = change.value();
        return (long) OVERHEAD + change.key().length + (value == null ? 0 : value.length);
    }

    /** Writes the changes in memory to the next run file, in key order, and empties the map. */
    private void spill() throws IOException {
        Path run = directory.resolve(String.format(Locale.ROOT, "run-%05d", runs.size()));
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
            for (Change change : pending.values()) {
                out.writeInt(change.key().length);
                out.write(change.key());
                out.writeLong(change.lsn());
                byte[] value = change.value();
                out.writeInt(value == null ? DELETED : value.length);
                if (value != null) {
                    out.write(value);
                }
            }
            out.writeInt(END);
            out.writeLong(pending.size());
        } catch (IOException e) {
            throw new SpillFailed("cannot write the sorted changes to " + run + ": " + e.getMessage(), e);
        }
        spilledBytes += Files.size(run);
        runs.add(run);
        pending = new TreeMap<>(Arrays::compareUnsigned);
        pendingBytes = 0;
    }

    /** Changes could not be written to disk (a full disk, say): the local directory's failure, not the input's. */
    static final class SpillFailed extends IOException {
        private static final long serialVersionUID = 1L;

        SpillFailed(String message, IOException cause) {
            super(message, cause);
        }
    }

    /** Bytes written to run files so far. */
    long spilledBytes() {
        return spilledBytes;
    }

    /** Run files written so far. */
    int spilledRuns() {
        return runs.size();
    }

    /**
     * The changes as sorted runs, oldest first (a later run's change of a key replaces an earlier one's); the caller
     * closes each. Nothing may be added after.
     */
    List<Run> runs() throws IOException {
        List<Run> open = new ArrayList<>();
        try {
            for (Path run : runs) {
                open.add(new FileRun(run));
            }
        } catch (IOException e) {
            for (Run run : open) {
                run.close();
            }
            throw e;
        }
        Iterator<Change> memory = pending.values().iterator();
        open.add(new Run() {
            @Override
            public @Nullable Change next() {
                return memory.hasNext() ? memory.next() : null;
            }

            @Override
            public void close() {}
        });
        return open;
    }

    /** Changes in ascending key order. */
    interface Run extends AutoCloseable {
        /** The next change, or null after the last. */
        @Nullable
        Change next() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** A run read back from its file, checked against the count it ends with. */
    private static final class FileRun implements Run {
        private final Path file;
        private final DataInputStream in;
        private long read;

        FileRun(Path file) throws IOException {
            this.file = file;
            this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        }

        @Override
        public @Nullable Change next() throws IOException {
            try {
                int keyLength = in.readInt();
                if (keyLength == END) {
                    long count = in.readLong();
                    if (count != read) {
                        throw new IOException("holds " + read + " changes but says " + count);
                    }
                    return null;
                }
                byte[] key = in.readNBytes(keyLength);
                long lsn = in.readLong();
                int valueLength = in.readInt();
                byte @Nullable [] value = valueLength == DELETED ? null : in.readNBytes(valueLength);
                if (key.length != keyLength || (value != null && value.length != valueLength)) {
                    throw new EOFException("ends inside a change");
                }
                read++;
                return new Change(key, lsn, value);
            } catch (IOException e) {
                throw new IOException("sorted changes " + file + " are damaged or cut short: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Deletes the run files and the directory. */
    @Override
    public void close() throws IOException {
        pending = new TreeMap<>(Arrays::compareUnsigned);
        DurableFiles.deleteRecursively(directory);
    }
}
