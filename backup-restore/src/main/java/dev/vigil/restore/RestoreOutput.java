package dev.vigil.restore;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.vigil.core.Keys;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.digest.DigestAccumulator;
import dev.vigil.core.digest.DigestAlgorithm;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.reference.ReferenceItem;
import dev.vigil.reference.ReferenceState;
import dev.vigil.reference.SortedSstWriter;
import dev.vigil.reference.snapshot.ParquetItems;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * Writes a reference state in a {@link RestoreFormat} into an empty directory, and reads what was written back
 * into a digest, independently of the state it came from, so that a restore proves its output rather than its
 * intentions.
 */
abstract class RestoreOutput {

    static RestoreOutput of(RestoreFormat format) {
        return switch (format) {
            case ROCKSDB -> new RocksDbOutput();
            case PARQUET -> new ParquetOutput();
            case JSONL -> new JsonLinesOutput();
        };
    }

    /** Writes every item of {@code reference} into {@code directory} (which exists and is empty). */
    abstract void write(ReferenceState reference, Path directory) throws IOException;

    /** The digest of what {@code directory} holds, read back from the files; checks the recorded LSN too. */
    abstract Digest readBack(Path directory, long lsn, DigestAlgorithm algorithm, int bucketBits) throws IOException;

    /** RocksDB: sorted SST files ingested into a new database, then the applied-LSN key put by the normal path. */
    static final class RocksDbOutput extends RestoreOutput {
        static {
            RocksDB.loadLibrary();
        }

        @Override
        void write(ReferenceState reference, Path directory) throws IOException {
            try (SortedSstWriter sst = new SortedSstWriter(
                            directory.resolve(".ingest"), "the restore of " + reference.partition());
                    Options options = new Options().setCreateIfMissing(true)) {
                reference.forEachItem(item -> sst.put(item.key(), item.value()));
                try (RocksDB db = RocksDB.open(options, directory.toString())) {
                    sst.ingestInto(db);
                    db.put(
                            StorageNodeContract.appliedLsnKey(),
                            ByteBuffer.allocate(Long.BYTES)
                                    .putLong(reference.lsn())
                                    .array());
                    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
                        db.flush(flush);
                    }
                }
            } catch (RocksDBException e) {
                throw new IOException(
                        "cannot create the restored RocksDB database in " + directory + ": " + e.getMessage(), e);
            }
            DurableFiles.deleteRecursively(directory.resolve(".ingest"));
        }

        @Override
        Digest readBack(Path directory, long lsn, DigestAlgorithm algorithm, int bucketBits) throws IOException {
            DigestAccumulator digest = new DigestAccumulator(algorithm, bucketBits);
            Long applied = null;
            try (Options options = new Options();
                    RocksDB db = RocksDB.openReadOnly(options, directory.toString());
                    ReadOptions read = new ReadOptions().setVerifyChecksums(true);
                    RocksIterator it = db.newIterator(read)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    if (StorageNodeContract.isAppliedLsnKey(key)) {
                        applied = ByteBuffer.wrap(it.value()).getLong();
                    } else {
                        digest.add(key, it.value());
                    }
                }
                it.status();
            } catch (RocksDBException e) {
                throw new IOException(
                        "cannot read back the restored database in " + directory + ": " + e.getMessage(), e);
            }
            if (applied == null || applied != lsn) {
                throw new IOException("the restored database in " + directory + " records applied LSN " + applied
                        + ", expected " + lsn);
            }
            return digest.snapshot();
        }
    }

    /** Parquet files with the snapshot schema. */
    static final class ParquetOutput extends RestoreOutput {
        @Override
        void write(ReferenceState reference, Path directory) throws IOException {
            ParquetItems.writeParts(reference, directory);
        }

        @Override
        Digest readBack(Path directory, long lsn, DigestAlgorithm algorithm, int bucketBits) throws IOException {
            DigestAccumulator digest = new DigestAccumulator(algorithm, bucketBits);
            List<Path> parts;
            try (Stream<Path> listing = Files.list(directory)) {
                parts = listing.filter(p -> p.getFileName().toString().endsWith(".parquet"))
                        .sorted()
                        .toList();
            }
            try (ParquetItems.ItemStream items = ParquetItems.readAll(parts)) {
                while (items.hasNext()) {
                    ReferenceItem item = items.next();
                    checkLsn(item, lsn, directory);
                    digest.add(item.key(), item.value());
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            return digest.snapshot();
        }
    }

    /** JSON lines, keys and values in base64 (they are bytes). */
    static class JsonLinesOutput extends RestoreOutput {
        private static final JsonFactory JSON = new JsonFactory();
        static final String FILE = "items.jsonl";

        @Override
        void write(ReferenceState reference, Path directory) throws IOException {
            Base64.Encoder base64 = Base64.getEncoder();
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(directory.resolve(FILE)), 1 << 16);
                    JsonGenerator json = JSON.createGenerator(out)) {
                json.setRootValueSeparator(new SerializedString("\n"));
                reference.forEachItem(item -> {
                    json.writeStartObject();
                    json.writeStringField("key", base64.encodeToString(item.key()));
                    json.writeStringField("value", base64.encodeToString(item.value()));
                    json.writeNumberField("lsn", item.lsn());
                    json.writeEndObject();
                });
                json.writeRaw('\n');
            }
        }

        @Override
        Digest readBack(Path directory, long lsn, DigestAlgorithm algorithm, int bucketBits) throws IOException {
            DigestAccumulator digest = new DigestAccumulator(algorithm, bucketBits);
            Base64.Decoder base64 = Base64.getDecoder();
            Path file = directory.resolve(FILE);
            try (InputStream in = Files.newInputStream(file);
                    JsonParser parser = JSON.createParser(in)) {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    byte[] key = null;
                    byte[] value = null;
                    long itemLsn = 0;
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String field = parser.currentName();
                        parser.nextToken();
                        switch (field) {
                            case "key" -> key = base64.decode(parser.getText());
                            case "value" -> value = base64.decode(parser.getText());
                            case "lsn" -> itemLsn = parser.getLongValue();
                            default -> throw new IOException(file + ": unexpected field '" + field + "'");
                        }
                    }
                    if (key == null || value == null) {
                        throw new IOException(file + ": an item without its " + (key == null ? "key" : "value"));
                    }
                    ReferenceItem item = new ReferenceItem(key, value, itemLsn);
                    checkLsn(item, lsn, file);
                    digest.add(item.key(), item.value());
                }
            }
            return digest.snapshot();
        }
    }

    private static void checkLsn(ReferenceItem item, long lsn, Path file) throws IOException {
        if (item.lsn() > lsn) {
            throw new IOException(file + ": key " + Keys.printable(item.key()) + " was written at LSN " + item.lsn()
                    + ", after the restore's LSN " + lsn);
        }
    }
}
