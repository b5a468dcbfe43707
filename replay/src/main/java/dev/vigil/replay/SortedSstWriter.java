package dev.vigil.replay;

import dev.vigil.core.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.EnvOptions;
import org.rocksdb.IngestExternalFileOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.SstFileWriter;

/**
 * Writes key-value pairs given in strictly ascending key order (RocksDB's default bytewise order) as SST files
 * in a staging directory, a new file every {@link #FILE_BYTES}, for {@link #ingestInto} a database: the load
 * bypasses the memtable and compaction entirely. A key out of order is an {@link IOException} naming it. Not
 * thread safe; close it (which closes an unfinished file) in every case.
 */
public final class SortedSstWriter implements AutoCloseable {

    /** Key and value bytes per SST file. */
    public static final long FILE_BYTES = 256L * 1024 * 1024;

    static {
        RocksDB.loadLibrary();
    }

    private final Path staging;
    private final String describe;
    private final Options options;
    private final EnvOptions env = new EnvOptions();
    private final List<String> files = new ArrayList<>();
    private @Nullable SstFileWriter writer;
    private long inFile;
    private byte @Nullable [] previous;
    private byte @Nullable [] first;

    /**
     * @param staging  an empty directory for the files (created if missing)
     * @param describe what is being written, for messages ("the reference of p-0001")
     */
    public SortedSstWriter(Path staging, String describe) throws IOException {
        this(staging, describe, 0);
    }

    /**
     * As {@link #SortedSstWriter(Path, String)}, writing table {@code formatVersion} (0: RocksDB's default), for a
     * database an older RocksDB must read.
     */
    public SortedSstWriter(Path staging, String describe, int formatVersion) throws IOException {
        this.staging = Files.createDirectories(staging);
        this.describe = describe;
        this.options = new Options();
        if (formatVersion > 0) {
            options.setTableFormatConfig(new BlockBasedTableConfig().setFormatVersion(formatVersion));
        }
    }

    public void put(byte[] key, byte[] value) throws IOException {
        if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
            throw new IOException(
                    describe + ": items are not in strictly ascending key order at key " + Keys.printable(key));
        }
        previous = key;
        if (first == null) {
            first = key;
        }
        try {
            SstFileWriter open = writer;
            if (open == null) {
                String file =
                        staging.resolve(String.format("%06d.sst", files.size())).toString();
                open = new SstFileWriter(env, options);
                writer = open;
                open.open(file);
                files.add(file);
                inFile = 0;
            }
            open.put(key, value);
            inFile += key.length + value.length;
            if (inFile >= FILE_BYTES) {
                finishFile(open);
            }
        } catch (RocksDBException e) {
            throw new IOException(describe + ": cannot write SST files under " + staging + ": " + e.getMessage(), e);
        }
    }

    /** Finishes the last file and moves every file into {@code db} (which must not hold any of these keys). */
    public void ingestInto(RocksDB db) throws IOException {
        ingestAll(List.of(this), db);
    }

    /**
     * Finishes the last file of each writer and moves every file of them all into {@code db} at once; the writers'
     * key ranges must not overlap (nor hold keys {@code db} has).
     */
    public static void ingestAll(List<SortedSstWriter> writers, RocksDB db) throws IOException {
        List<String> all = new ArrayList<>();
        for (SortedSstWriter sst : writers) {
            sst.finish();
            all.addAll(sst.files);
        }
        if (all.isEmpty()) {
            return;
        }
        try (IngestExternalFileOptions ingest = new IngestExternalFileOptions().setMoveFiles(true)) {
            db.ingestExternalFile(all, ingest);
        } catch (RocksDBException e) {
            throw new IOException(
                    writers.getFirst().describe + ": cannot ingest the SST files under "
                            + writers.getFirst().staging.getParent() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The first key put, if any. */
    public Optional<byte[]> firstKey() {
        return Optional.ofNullable(first);
    }

    /** The last key put, if any. */
    public Optional<byte[]> lastKey() {
        return Optional.ofNullable(previous);
    }

    private void finish() throws IOException {
        SstFileWriter open = writer;
        if (open != null) {
            try {
                finishFile(open);
            } catch (RocksDBException e) {
                throw new IOException(
                        describe + ": cannot write SST files under " + staging + ": " + e.getMessage(), e);
            }
        }
    }

    private void finishFile(SstFileWriter open) throws RocksDBException {
        try {
            open.finish();
        } finally {
            open.close();
            writer = null;
        }
    }

    @Override
    public void close() {
        SstFileWriter open = writer;
        if (open != null) {
            open.close();
            writer = null;
        }
        env.close();
        options.close();
    }
}
