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
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.PriorityQueue;
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

    /**
     * Run files kept at most before they are merged into one: a merge reads every run at once, each through its own
     * buffer and file handle, so a long stretch of WAL (the first snapshot of a large history) must not leave thousands.
     */
    static final int MAX_RUNS = 32;

    private final Path directory;
    private final long memoryBytes;
    private final int maxRuns;
    private final List<Path> runs = new ArrayList<>();
    private int written;
    private TreeMap<byte[], Change> pending = new TreeMap<>(Arrays::compareUnsigned);
    private long pendingBytes;
    private long spilledBytes;

    SortedChanges(Path directory, long memoryBytes) throws IOException {
        this(directory, memoryBytes, MAX_RUNS);
    }

    /** As {@link #SortedChanges(Path, long)}, merging the run files into one whenever there are {@code maxRuns}. */
    SortedChanges(Path directory, long memoryBytes, int maxRuns) throws IOException {
        if (memoryBytes < 1 || maxRuns < 2) {
            throw new IllegalArgumentException("memory for changes must be positive and at least two runs allowed, was "
                    + memoryBytes + " and " + maxRuns);
        }
        this.directory = directory;
        this.memoryBytes = memoryBytes;
        this.maxRuns = maxRuns;
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

    /**
     * Writes the changes in memory to the next run file, in key order, and empties the map; merges the run files into
     * one when there are {@link #maxRuns} of them.
     */
    private void spill() throws IOException {
        Iterator<Change> changes = pending.values().iterator();
        runs.add(writeRun(new Source() {
            @Override
            public boolean hasNext() {
                return changes.hasNext();
            }

            @Override
            public Change next() {
                return changes.next();
            }
        }));
        pending = new TreeMap<>(Arrays::compareUnsigned);
        pendingBytes = 0;
        if (runs.size() >= maxRuns) {
            List<Run> open = openRuns();
            Run merged = newestWins(open);
            Path compacted;
            try {
                compacted = writeRun(new RunCursor(merged));
            } finally {
                for (Run run : open) {
                    run.close();
                }
            }
            for (Path run : runs) {
                Files.delete(run);
            }
            runs.clear();
            runs.add(compacted);
        }
    }

    /** Writes a run file of the changes {@code source} gives, in the order given. */
    private Path writeRun(Source source) throws IOException {
        Path run = directory.resolve(String.format(Locale.ROOT, "run-%05d", written++));
        long count = 0;
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
            while (source.hasNext()) {
                Change change = source.next();
                out.writeInt(change.key().length);
                out.write(change.key());
                out.writeLong(change.lsn());
                byte[] value = change.value();
                out.writeInt(value == null ? DELETED : value.length);
                if (value != null) {
                    out.write(value);
                }
                count++;
            }
            out.writeInt(END);
            out.writeLong(count);
        } catch (SpillFailed e) {
            throw e;
        } catch (IOException e) {
            throw new SpillFailed("cannot write the sorted changes to " + run + ": " + e.getMessage(), e);
        }
        spilledBytes += Files.size(run);
        return run;
    }

    /** Changes given one by one (the map's, or a merge of runs). */
    private interface Source {
        boolean hasNext() throws IOException;

        Change next() throws IOException;
    }

    /** A run read ahead by one change, as a {@link Source}. */
    private static final class RunCursor implements Source {
        private final Run run;
        private @Nullable Change next;
        private boolean read;

        RunCursor(Run run) {
            this.run = run;
        }

        @Override
        public boolean hasNext() throws IOException {
            if (!read) {
                next = run.next();
                read = true;
            }
            return next != null;
        }

        @Override
        public Change next() throws IOException {
            hasNext();
            Change change = Objects.requireNonNull(next, "no more changes");
            read = false;
            return change;
        }
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
        List<Run> open = openRuns();
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

    /** The run files, opened, oldest first. */
    private List<Run> openRuns() throws IOException {
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
        return open;
    }

    /**
     * The changes of {@code runs} (each in ascending key order, oldest run first) as one run: per key the change of the
     * newest run that has one, deletions included. The caller closes the runs.
     */
    static Run newestWins(List<? extends Run> runs) throws IOException {
        PriorityQueue<Head> heads =
                new PriorityQueue<>(Comparator.<Head, byte[]>comparing(h -> h.change.key(), Arrays::compareUnsigned)
                        .thenComparingInt(h -> -h.priority));
        for (int i = 0; i < runs.size(); i++) {
            Head.advance(heads, new Head(runs.get(i), i));
        }
        return new Run() {
            @Override
            public @Nullable Change next() throws IOException {
                Head winner = heads.poll();
                if (winner == null) {
                    return null;
                }
                Change change = winner.change;
                while (!heads.isEmpty() && Arrays.equals(heads.peek().change.key(), change.key())) {
                    Head.advance(heads, heads.poll());
                }
                Head.advance(heads, winner);
                return change;
            }

            @Override
            public void close() {}
        };
    }

    /** A run's current change and its priority (a newer run's is higher, and wins for one key). */
    private static final class Head {
        private final Run run;
        private final int priority;
        private Change change = new Change(new byte[0], 0, null);

        Head(Run run, int priority) {
            this.run = run;
            this.priority = priority;
        }

        /** Moves {@code head} to its run's next change and puts it back in {@code heads}, unless the run is done. */
        static void advance(PriorityQueue<Head> heads, Head head) throws IOException {
            @Nullable Change next = head.run.next();
            if (next != null) {
                head.change = next;
                heads.add(head);
            }
        }
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
