package dev.vigil.core.wal;

import dev.vigil.core.Lsn;
import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.io.DurableFiles;
import dev.vigil.core.io.SafePaths;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * Writes one WAL segment in the format of {@code docs/wal-format.md}: created as {@code <firstLsn>.open}
 * with its header durable, appended to record by record (LSNs must be contiguous), and sealed by writing
 * the seal and end marker, forcing the file, renaming it atomically to {@code <first>-<last>.seg} and
 * forcing the directory. A crash at any point leaves either an open file that
 * {@link #recover(Path, PartitionId, Clock, FsyncPolicy)} trims to its valid prefix, or a complete sealed
 * file; never a sealed name on an incomplete file.
 *
 * <p>Not thread safe: a segment has one writer.
 */
public final class SegmentWriter implements Closeable {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final Path directory;
    private final PartitionId partition;
    private final long firstLsn;
    private final Clock clock;
    private final FsyncPolicy fsyncPolicy;
    private Path openPath;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private final byte[] scratch = new byte[WalFormat.PUT_FIXED_LENGTH];
    private final byte[] frameHeader = new byte[WalFormat.FRAME_OVERHEAD];
    private final CRC32C frameCrc = new CRC32C();
    private final CRC32C bodyCrc;
    private final CRC32C fileCrc;

    private boolean headerWritten;
    private long nextLsn;
    private long recordCount;
    private long firstTimestamp;
    private long lastTimestamp;
    private long bodyLength;
    private long size;
    private boolean closed;

    private SegmentWriter(
            Path openPath,
            FileChannel channel,
            SegmentHeader header,
            boolean headerWritten,
            Clock clock,
            FsyncPolicy fsyncPolicy,
            CRC32C bodyCrc,
            CRC32C fileCrc) {
        this.openPath = openPath;
        this.headerWritten = headerWritten;
        this.directory = SafePaths.parentOf(openPath);
        this.channel = channel;
        this.partition = header.partition();
        this.firstLsn = header.firstLsn();
        this.clock = clock;
        this.fsyncPolicy = fsyncPolicy;
        this.bodyCrc = bodyCrc;
        this.fileCrc = fileCrc;
        this.nextLsn = firstLsn;
    }

    /**
     * Creates {@code <firstLsn>.open} in {@code directory}, durably. The header is written with the first
     * record, because it carries that record's timestamp: replicas that log the same records (with the
     * leader's timestamps) then write byte-identical segments, whenever each created its file.
     *
     * @throws FileAlreadyExistsException when a segment with that first LSN is already open there
     */
    public static SegmentWriter create(
            Path directory, PartitionId partition, long firstLsn, Clock clock, FsyncPolicy fsyncPolicy)
            throws IOException {
        Lsn.requireValid(firstLsn, "first LSN");
        Path path = directory.resolve(SegmentFileName.open(firstLsn));
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            SegmentHeader header = new SegmentHeader(WalFormat.VERSION, partition, firstLsn, 0);
            SegmentWriter writer =
                    new SegmentWriter(path, channel, header, false, clock, fsyncPolicy, new CRC32C(), new CRC32C());
            forceDirectory(directory);
            return writer;
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(path);
            throw e;
        }
    }

    /** What {@link #recover} did with an open segment found after a restart. */
    public sealed interface Recovery permits Resumed, Completed {
        /** The torn tail that was cut off, if any. */
        Optional<TornTail> tornTail();
    }

    /** The open segment was trimmed to its valid prefix; {@code writer} appends after its last record. */
    public record Resumed(SegmentWriter writer, Optional<TornTail> tornTail) implements Recovery {}

    /** The open file was already completely sealed (crash before the rename); the rename was finished. */
    public record Completed(SealedSegment sealed) implements Recovery {
        @Override
        public Optional<TornTail> tornTail() {
            return Optional.empty();
        }
    }

    /**
     * Recovers an open segment after a crash: truncates its torn tail (durably) and resumes appending, or
     * finishes the rename of a segment that was sealed but not yet renamed. A file with a torn or invalid
     * header holds no readable record; it is emptied and the header is written again with the next record.
     *
     * @throws SegmentCorruptException when the file is inconsistent (valid checksums, wrong content) or
     *                                 belongs to another partition
     */
    public static Recovery recover(Path openFile, PartitionId partition, Clock clock, FsyncPolicy fsyncPolicy)
            throws IOException {
        SegmentFileName name = SegmentFileName.parse(openFile.getFileName().toString())
                .filter(n -> !n.isSealed())
                .orElseThrow(
                        () -> new IllegalArgumentException(openFile + " is not an open segment name (<lsn>.open)"));
        OpenSegmentScan scan = OpenSegmentScanner.scan(openFile);
        if (scan.header().isPresent()) {
            SegmentHeader header = scan.header().get();
            if (!header.partition().equals(partition) || header.firstLsn() != name.firstLsn()) {
                throw new SegmentCorruptException(
                        openFile.toString(),
                        0,
                        "header says partition "
                                + header.partition() + " from LSN " + header.firstLsn() + " but the file is "
                                + name + " of partition " + partition);
            }
        }
        Path directory = SafePaths.parentOf(openFile);
        if (scan.sealed()) {
            SegmentSummary summary = scan.summary().orElseThrow();
            Path sealedPath = directory.resolve(summary.fileName());
            moveNoReplace(openFile, sealedPath);
            forceDirectory(directory);
            return new Completed(new SealedSegment(sealedPath, summary));
        }
        FileChannel channel = FileChannel.open(openFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (scan.header().isEmpty() || scan.recordCount() == 0) {
                // No record survived: the file goes back to empty, so the next record writes a header with its own
                // timestamp (a header carries its first record's timestamp).
                channel.truncate(0);
                channel.force(true);
                SegmentHeader header = new SegmentHeader(WalFormat.VERSION, partition, name.firstLsn(), 0);
                SegmentWriter writer = new SegmentWriter(
                        openFile, channel, header, false, clock, fsyncPolicy, new CRC32C(), new CRC32C());
                return new Resumed(writer, scan.tornTail());
            }
            channel.truncate(scan.validLength());
            channel.force(true);
            SegmentHeader header = scan.header().get();
            CRC32C bodyCrc = new CRC32C();
            CRC32C fileCrc = new CRC32C();
            hashPrefix(channel, header.length(), scan.validLength(), bodyCrc, fileCrc);
            SegmentWriter writer =
                    new SegmentWriter(openFile, channel, header, true, clock, fsyncPolicy, bodyCrc, fileCrc);
            writer.recordCount = scan.recordCount();
            writer.nextLsn = header.firstLsn() + scan.recordCount();
            writer.firstTimestamp = scan.firstTimestampMillis();
            writer.lastTimestamp = scan.lastTimestampMillis();
            writer.bodyLength = scan.validLength() - header.length();
            writer.size = scan.validLength();
            channel.position(scan.validLength());
            return new Resumed(writer, scan.tornTail());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Appends a record stamped with the writer's clock, never earlier than the previous record (a clock stepped back
     * stamps the previous record's time, as the format requires); returns its LSN.
     */
    public long append(long lsn, Op op, byte[] key, byte[] value) throws IOException {
        long now = clock.millis();
        return append(new WalRecord(lsn, recordCount == 0 ? now : Math.max(now, lastTimestamp), op, key, value));
    }

    /**
     * Appends a record. Its LSN must be {@link #nextLsn()}.
     *
     * @return the record's LSN
     */
    public long append(WalRecord record) throws IOException {
        ensureOpen();
        if (record.lsn() != nextLsn) {
            throw new IllegalArgumentException(openPath + ": append of LSN " + record.lsn() + " where " + nextLsn
                    + " is next (LSNs must be contiguous)");
        }
        if (recordCount > 0 && record.timestampMillis() < lastTimestamp) {
            throw new IllegalArgumentException(openPath + ": append of LSN " + record.lsn() + " stamped "
                    + record.timestampMillis() + ", earlier than the previous record's " + lastTimestamp
                    + " (timestamps must not decrease)");
        }
        if (!headerWritten) {
            writeHeader(new SegmentHeader(WalFormat.VERSION, partition, firstLsn, record.timestampMillis()));
            headerWritten = true;
        }
        byte[] key = record.key();
        byte[] value = record.value();
        boolean put = record.op() == Op.PUT;
        int fixed = put ? WalFormat.PUT_FIXED_LENGTH : WalFormat.RECORD_FIXED_LENGTH;
        int payloadLength = fixed + key.length + value.length;

        scratch[0] = record.op().code();
        putLong(scratch, 1, record.lsn());
        putLong(scratch, 9, record.timestampMillis());
        putInt(scratch, 17, key.length);
        frameCrc.reset();
        frameCrc.update(scratch, 0, WalFormat.RECORD_FIXED_LENGTH);
        frameCrc.update(key);
        if (put) {
            putInt(scratch, WalFormat.RECORD_FIXED_LENGTH, value.length);
            frameCrc.update(scratch, WalFormat.RECORD_FIXED_LENGTH, 4);
            frameCrc.update(value);
        }

        putInt(frameHeader, 0, payloadLength);
        putInt(frameHeader, 4, (int) frameCrc.getValue());
        write(frameHeader, 0, frameHeader.length);
        write(scratch, 0, WalFormat.RECORD_FIXED_LENGTH);
        write(key, 0, key.length);
        if (put) {
            write(scratch, WalFormat.RECORD_FIXED_LENGTH, 4);
            write(value, 0, value.length);
        }

        if (recordCount == 0) {
            firstTimestamp = record.timestampMillis();
        }
        lastTimestamp = record.timestampMillis();
        recordCount++;
        nextLsn++;
        bodyLength += WalFormat.FRAME_OVERHEAD + payloadLength;
        if (fsyncPolicy == FsyncPolicy.EVERY_RECORD) {
            flush(true);
        }
        return record.lsn();
    }

    /** Writes buffered records and forces them to stable storage. */
    public void sync() throws IOException {
        ensureOpen();
        flush(true);
    }

    /**
     * Seals the segment: appends the seal and end marker, forces the file, renames it to its sealed name
     * and forces the directory. The writer is closed afterwards.
     *
     * @throws IllegalStateException when no record was appended (a sealed segment holds at least one)
     */
    public SealedSegment seal() throws IOException {
        ensureOpen();
        if (recordCount == 0) {
            throw new IllegalStateException(openPath + ": cannot seal a segment without records");
        }
        byte[] seal = new byte[WalFormat.FRAME_OVERHEAD + WalFormat.SEAL_PAYLOAD_LENGTH];
        int p = WalFormat.FRAME_OVERHEAD;
        seal[p] = WalFormat.TYPE_SEAL;
        putLong(seal, p + 1, nextLsn - 1);
        putLong(seal, p + 9, recordCount);
        putLong(seal, p + 17, firstTimestamp);
        putLong(seal, p + 25, lastTimestamp);
        putLong(seal, p + 33, bodyLength);
        putInt(seal, p + 41, (int) bodyCrc.getValue());
        frameCrc.reset();
        frameCrc.update(seal, p, WalFormat.SEAL_PAYLOAD_LENGTH);
        putInt(seal, 0, WalFormat.SEAL_PAYLOAD_LENGTH);
        putInt(seal, 4, (int) frameCrc.getValue());
        writeRaw(seal, 0, seal.length);
        writeRaw(WalFormat.END_MARKER, 0, WalFormat.END_MARKER.length);
        flush(true);
        channel.close();
        closed = true;

        SegmentSummary summary = new SegmentSummary(
                partition,
                firstLsn,
                nextLsn - 1,
                recordCount,
                firstTimestamp,
                lastTimestamp,
                size,
                Checksum.crc32c((int) fileCrc.getValue()));
        Path sealedPath = directory.resolve(summary.fileName());
        moveNoReplace(openPath, sealedPath);
        forceDirectory(directory);
        openPath = sealedPath;
        return new SealedSegment(sealedPath, summary);
    }

    public PartitionId partition() {
        return partition;
    }

    public long firstLsn() {
        return firstLsn;
    }

    /** The LSN the next append must carry. */
    public long nextLsn() {
        return nextLsn;
    }

    public long recordCount() {
        return recordCount;
    }

    /** Bytes written so far, including buffered ones; a node rolls over to a new segment on this. */
    public long size() {
        return size;
    }

    public Path path() {
        return openPath;
    }

    /**
     * Flushes and forces buffered records and closes the file without sealing it; it stays open on disk
     * and can be resumed with {@link #recover}. Idempotent.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            flush(true);
        } finally {
            channel.close();
        }
    }

    private void writeHeader(SegmentHeader header) throws IOException {
        byte[] id = header.partition().value().getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[header.length()];
        System.arraycopy(WalFormat.MAGIC, 0, bytes, 0, WalFormat.MAGIC.length);
        bytes[8] = (byte) (header.version() >>> 8);
        bytes[9] = (byte) header.version();
        putLong(bytes, 12, header.firstLsn());
        putLong(bytes, 20, header.firstRecordMillis());
        bytes[28] = (byte) (id.length >>> 8);
        bytes[29] = (byte) id.length;
        System.arraycopy(id, 0, bytes, WalFormat.HEADER_FIXED_LENGTH, id.length);
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, WalFormat.HEADER_FIXED_LENGTH + id.length);
        putInt(bytes, WalFormat.HEADER_FIXED_LENGTH + id.length, (int) crc.getValue());
        writeRaw(bytes, 0, bytes.length);
    }

    /** Appends body bytes: they count towards the body CRC. */
    private void write(byte[] bytes, int offset, int length) throws IOException {
        bodyCrc.update(bytes, offset, length);
        writeRaw(bytes, offset, length);
    }

    private void writeRaw(byte[] bytes, int offset, int length) throws IOException {
        fileCrc.update(bytes, offset, length);
        size += length;
        if (length > buffer.remaining()) {
            flush(false);
            if (length > buffer.capacity()) {
                ByteBuffer direct = ByteBuffer.wrap(bytes, offset, length);
                while (direct.hasRemaining()) {
                    channel.write(direct);
                }
                return;
            }
        }
        buffer.put(bytes, offset, length);
    }

    private void flush(boolean force) throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
        if (force) {
            channel.force(false);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(openPath + " is closed");
        }
    }

    private static void hashPrefix(
            FileChannel channel, long headerLength, long validLength, CRC32C bodyCrc, CRC32C fileCrc)
            throws IOException {
        channel.position(0);
        InputStream in = Channels.newInputStream(channel);
        byte[] chunk = new byte[BUFFER_SIZE];
        long position = 0;
        while (position < validLength) {
            int n = in.read(chunk, 0, (int) Math.min(chunk.length, validLength - position));
            if (n < 0) {
                throw new IOException("file shrank while recovering it: ended at " + position + " of " + validLength);
            }
            fileCrc.update(chunk, 0, n);
            int bodyStart = (int) Math.max(0, Math.min(n, headerLength - position));
            bodyCrc.update(chunk, bodyStart, n - bodyStart);
            position += n;
        }
    }

    /** Renames without ever replacing an existing sealed segment. */
    private static void moveNoReplace(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            throw new FileAlreadyExistsException(
                    to.toString(),
                    from.toString(),
                    "a sealed segment with this name already exists; refusing to replace it");
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void forceDirectory(Path directory) throws IOException {
        DurableFiles.forceDirectory(Objects.requireNonNull(directory));
    }

    private static void putInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }

    private static void putLong(byte[] bytes, int at, long value) {
        putInt(bytes, at, (int) (value >>> 32));
        putInt(bytes, at + 4, (int) value);
    }
}
