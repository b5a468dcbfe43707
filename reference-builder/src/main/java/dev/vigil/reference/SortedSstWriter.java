package dev.vigil.reference;

import dev.vigil.core.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;
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
    private final Options options = new Options();
    private final EnvOptions env = new EnvOptions();
    private final List<String> files = new ArrayList<>();
    private @Nullable SstFileWriter writer;
    private long inFile;
    private byte @Nullable [] previous;

    /**
     * @param staging  an empty directory for the files (created if missing)
     * @param describe what is being written, for messages ("the reference of p-0001")
     */
    public SortedSstWriter(Path staging, String describe) throws IOException {
        this.staging = Files.createDirectories(staging);
        this.describe = describe;
    }

    public void put(byte[] key, byte[] value) throws IOException {
        if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
            throw new IOException(
                    describe + ": items are not in strictly ascending key order at key " + Keys.printable(key));
        }
        previous = key;
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
        try {
            SstFileWriter open = writer;
            if (open != null) {
                finishFile(open);
            }
            if (!files.isEmpty()) {
                try (IngestExternalFileOptions ingest = new IngestExternalFileOptions().setMoveFiles(true)) {
                    db.ingestExternalFile(files, ingest);
                }
            }
        } catch (RocksDBException e) {
            throw new IOException(
                    describe + ": cannot ingest the SST files under " + staging + ": " + e.getMessage(), e);
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
