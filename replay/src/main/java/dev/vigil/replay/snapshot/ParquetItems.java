package dev.vigil.replay.snapshot;

import dev.vigil.core.PartitionId;
import dev.vigil.replay.ItemRun;
import dev.vigil.replay.ReferenceItem;
import dev.vigil.replay.ReferenceState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.jspecify.annotations.Nullable;

/**
 * Reference items as Parquet: one row per item with the columns {@code key} (binary), {@code value} (binary)
 * and {@code lsn} (int64, the LSN that last wrote the key), ZSTD-compressed. Any Parquet reader can read the
 * files (DuckDB: {@code SELECT key, value, lsn FROM 'part-00000.parquet'}); Vigil reads them back with
 * {@link #read}, which checks the schema first. Snapshots and Parquet restores share this format.
 */
public final class ParquetItems {

    /** The schema every snapshot file has. */
    public static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY)
            .named("key")
            .required(PrimitiveTypeName.BINARY)
            .named("value")
            .required(PrimitiveTypeName.INT64)
            .named("lsn")
            .named("vigil_reference_item");

    /** Row groups of this many bytes (before compression) keep a reader's memory bounded and its scans parallel. */
    public static final int ROW_GROUP_BYTES = 64 * 1024 * 1024;

    private ParquetItems() {}

    /** Opens a writer of a new file; {@code metadata} goes into the file footer's key-value metadata. */
    public static ParquetWriter<ReferenceItem> writer(Path file, Map<String, String> metadata) throws IOException {
        return new WriterBuilder(new LocalOutputFile(file), metadata)
                .withConf(new Configuration(false))
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .withCompressionCodec(CompressionCodecName.ZSTD)
                .withRowGroupSize((long) ROW_GROUP_BYTES)
                .withPageSize(1024 * 1024)
                .withDictionaryEncoding(false)
                .build();
    }

    /** A Parquet file written by {@link #writeParts}: its path and how many rows it holds. */
    public record Part(Path path, long rows) {}

    /** Key and value bytes per part file: several files let a reader download and decode them in parallel. */
    public static final long PART_BYTES = 128L * 1024 * 1024;

    /** Gives items, in key order, to a consumer: a reference with values, a merge. */
    @FunctionalInterface
    public interface ItemSource {
        void forEach(ReferenceState.ItemConsumer consumer) throws IOException;
    }

    /**
     * Writes every item of {@code items} (the state of {@code partition} at {@code lsn}), in key order, as
     * {@code part-00000.parquet}, {@code part-00001.parquet}, ... in {@code directory}, a new file every
     * {@link #PART_BYTES}. The footer of each carries the partition and LSN.
     */
    public static List<Part> writeParts(PartitionId partition, long lsn, ItemSource items, Path directory)
            throws IOException {
        Map<String, String> metadata = Map.of("vigil.partition", partition.value(), "vigil.lsn", Long.toString(lsn));
        List<Part> parts = new ArrayList<>();
        PartWriter current = new PartWriter();
        try {
            items.forEach(item -> {
                if (current.writer == null) {
                    current.open(directory.resolve(String.format("part-%05d.parquet", parts.size())), metadata);
                }
                current.write(item);
                if (current.bytes >= PART_BYTES) {
                    parts.add(current.close());
                }
            });
            if (current.writer != null) {
                parts.add(current.close());
            }
        } finally {
            current.abandon();
        }
        return parts;
    }

    /** The part being written. */
    private static final class PartWriter {
        private @Nullable ParquetWriter<ReferenceItem> writer;
        private @Nullable Path path;
        private long rows;
        private long bytes;

        void open(Path file, Map<String, String> metadata) throws IOException {
            writer = writer(file, metadata);
            path = file;
            rows = 0;
            bytes = 0;
        }

        void write(ReferenceItem item) throws IOException {
            Objects.requireNonNull(writer, "no part is open").write(item);
            rows++;
            bytes += item.key().length + item.value().length;
        }

        Part close() throws IOException {
            ParquetWriter<ReferenceItem> closing = Objects.requireNonNull(writer, "no part is open");
            writer = null;
            closing.close();
            return new Part(Objects.requireNonNull(path), rows);
        }

        void abandon() throws IOException {
            if (writer != null) {
                close();
            }
        }
    }

    /** Reads a file's items in stored order; the caller closes the iterator. */
    public static ItemIterator read(Path file) throws IOException {
        return new ItemIterator(
                new ReaderBuilder(new LocalInputFile(file))
                        .withConf(new Configuration(false))
                        .build(),
                file.toString());
    }

    /** Items of one Parquet file, read lazily. Not thread safe. */
    public static final class ItemIterator implements ItemRun.Items {
        private final ParquetReader<ReferenceItem> reader;
        private final String source;
        private @Nullable ReferenceItem next;
        private boolean done;

        private ItemIterator(ParquetReader<ReferenceItem> reader, String source) {
            this.reader = reader;
            this.source = source;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                try {
                    next = reader.read();
                } catch (IOException | RuntimeException e) {
                    throw new UncheckedIOException(
                            new IOException(source + ": unreadable Parquet data: " + e.getMessage(), e));
                }
                done = next == null;
            }
            return next != null;
        }

        @Override
        public ReferenceItem next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more items in " + source);
            }
            ReferenceItem item = Objects.requireNonNull(next);
            next = null;
            return item;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }

    /** The items of several files, file after file; the caller closes the stream. */
    public static ItemStream readAll(List<Path> files) {
        return new ItemStream(files);
    }

    /** Items read file after file. */
    public static final class ItemStream implements Iterator<ReferenceItem>, AutoCloseable {
        private final Iterator<Path> files;
        private @Nullable ItemIterator current;

        private ItemStream(List<Path> files) {
            this.files = List.copyOf(files).iterator();
        }

        @Override
        public boolean hasNext() {
            try {
                while (current == null || !current.hasNext()) {
                    ItemIterator exhausted = current;
                    if (exhausted != null) {
                        exhausted.close();
                        current = null;
                    }
                    if (!files.hasNext()) {
                        return false;
                    }
                    current = read(files.next());
                }
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public ReferenceItem next() {
            if (!hasNext()) {
                throw new NoSuchElementException("no more items");
            }
            return Objects.requireNonNull(current).next();
        }

        @Override
        public void close() throws IOException {
            ItemIterator open = current;
            if (open != null) {
                open.close();
            }
        }
    }

    private static final class WriterBuilder extends ParquetWriter.Builder<ReferenceItem, WriterBuilder> {
        private final Map<String, String> metadata;

        WriterBuilder(OutputFile file, Map<String, String> metadata) {
            super(file);
            this.metadata = Map.copyOf(metadata);
        }

        @Override
        protected WriterBuilder self() {
            return this;
        }

        // Abstract in Parquet 1.18 though deprecated in favour of the ParquetConfiguration overload.
        @SuppressWarnings("deprecation")
        @Override
        protected WriteSupport<ReferenceItem> getWriteSupport(Configuration conf) {
            return new ItemWriteSupport(metadata);
        }
    }

    private static final class ItemWriteSupport extends WriteSupport<ReferenceItem> {
        private final Map<String, String> metadata;
        private @Nullable RecordConsumer out;

        ItemWriteSupport(Map<String, String> metadata) {
            this.metadata = metadata;
        }

        // Abstract in Parquet 1.18 though deprecated in favour of the ParquetConfiguration overload.
        @SuppressWarnings("deprecation")
        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(SCHEMA, metadata);
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(ReferenceItem item) {
            RecordConsumer out = Objects.requireNonNull(this.out, "Parquet did not prepare the writer");
            out.startMessage();
            out.startField("key", 0);
            out.addBinary(Binary.fromConstantByteArray(item.key()));
            out.endField("key", 0);
            out.startField("value", 1);
            out.addBinary(Binary.fromConstantByteArray(item.value()));
            out.endField("value", 1);
            out.startField("lsn", 2);
            out.addLong(item.lsn());
            out.endField("lsn", 2);
            out.endMessage();
        }
    }

    private static final class ReaderBuilder extends ParquetReader.Builder<ReferenceItem> {
        ReaderBuilder(InputFile file) {
            super(file);
        }

        @Override
        protected ReadSupport<ReferenceItem> getReadSupport() {
            return new ItemReadSupport();
        }
    }

    private static final class ItemReadSupport extends ReadSupport<ReferenceItem> {
        @Override
        public ReadContext init(InitContext context) {
            MessageType file = context.getFileSchema();
            for (Type field : SCHEMA.getFields()) {
                if (!file.containsField(field.getName())
                        || !file.getType(field.getName()).equals(field)) {
                    throw new IllegalArgumentException(
                            "not a Vigil snapshot file: it has no column " + field + " (its schema is " + file + ")");
                }
            }
            return new ReadContext(SCHEMA);
        }

        // Abstract in Parquet 1.18 though deprecated in favour of the ParquetConfiguration overload.
        @SuppressWarnings("deprecation")
        @Override
        public RecordMaterializer<ReferenceItem> prepareForRead(
                Configuration configuration,
                Map<String, String> metadata,
                MessageType fileSchema,
                ReadContext context) {
            return new ItemMaterializer();
        }
    }

    private static final class ItemMaterializer extends RecordMaterializer<ReferenceItem> {
        private byte @Nullable [] key;
        private byte @Nullable [] value;
        private long lsn;

        private final GroupConverter root = new GroupConverter() {
            private final Converter[] fields = {
                new PrimitiveConverter() {
                    @Override
                    public void addBinary(Binary binary) {
                        key = binary.getBytes();
                    }
                },
                new PrimitiveConverter() {
                    @Override
                    public void addBinary(Binary binary) {
                        value = binary.getBytes();
                    }
                },
                new PrimitiveConverter() {
                    @Override
                    public void addLong(long l) {
                        lsn = l;
                    }
                },
            };

            @Override
            public Converter getConverter(int fieldIndex) {
                return fields[fieldIndex];
            }

            @Override
            public void start() {
                key = null;
                value = null;
                lsn = 0;
            }

            @Override
            public void end() {}
        };

        @Override
        public ReferenceItem getCurrentRecord() {
            if (key == null || value == null) {
                throw new IllegalStateException("a row without its " + (key == null ? "key" : "value"));
            }
            return new ReferenceItem(key, value, lsn);
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }
}
