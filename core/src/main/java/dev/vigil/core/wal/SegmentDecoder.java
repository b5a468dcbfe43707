package dev.vigil.core.wal;

import static dev.vigil.core.wal.FormatViolation.Kind.INCOMPLETE;
import static dev.vigil.core.wal.FormatViolation.Kind.INCONSISTENT;
import static dev.vigil.core.wal.FormatViolation.Kind.INVALID;

import dev.vigil.core.PartitionId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the structures of a segment one at a time and checks every rule that does not depend on
 * whether the segment is sealed. Keeps the running state the seal is checked against: the next expected
 * LSN, the record count, the time range and the body's length and CRC32C. Not thread safe.
 */
final class SegmentDecoder {

    sealed interface Frame permits RecordFrame, SealFrame, EndOfInput {
        long offset();
    }

    /** A record frame; {@code record} is null when the decoder does not materialise records (validation only). */
    record RecordFrame(long offset, @Nullable WalRecord record) implements Frame {}

    record SealFrame(
            long offset,
            long lastLsn,
            long recordCount,
            long firstTimestamp,
            long lastTimestamp,
            long bodyLength,
            int bodyCrc)
            implements Frame {}

    /** The input ended cleanly at a frame boundary. */
    record EndOfInput(long offset) implements Frame {}

    private final SegmentInput input;
    private final long knownSize;
    private final boolean materialize;
    private final byte[] frameHeader = new byte[WalFormat.FRAME_OVERHEAD];
    private final CRC32C frameCrc = new CRC32C();
    private final CRC32C bodyCrc = new CRC32C();
    private byte[] payload = new byte[256];

    private @Nullable SegmentHeader header;
    private long nextLsn;
    private long recordCount;
    private long firstTimestamp;
    private long lastTimestamp;
    private long bodyLength;

    /**
     * @param knownSize the total size of the input when known (lets length fields be checked against what
     *                  is left before reading), or -1
     */
    SegmentDecoder(SegmentInput input, long knownSize) {
        this(input, knownSize, true);
    }

    /**
     * @param materialize whether record frames carry a {@link WalRecord}; validation alone skips copying keys and
     *                    values (every byte is still checked)
     */
    SegmentDecoder(SegmentInput input, long knownSize, boolean materialize) {
        this.input = input;
        this.knownSize = knownSize;
        this.materialize = materialize;
    }

    SegmentHeader readHeader() throws IOException, FormatViolation {
        byte[] fixed = new byte[WalFormat.HEADER_FIXED_LENGTH];
        int n = input.read(fixed, 0, fixed.length);
        if (n >= WalFormat.MAGIC.length
                && !Arrays.equals(fixed, 0, WalFormat.MAGIC.length, WalFormat.MAGIC, 0, WalFormat.MAGIC.length)) {
            throw new FormatViolation(INVALID, 0, "bad magic: not a Vigil WAL segment");
        }
        if (n < fixed.length) {
            throw new FormatViolation(INCOMPLETE, 0, "file ends inside the header (" + n + " bytes)");
        }
        int version = readShort(fixed, 8);
        if (version != WalFormat.VERSION) {
            throw new FormatViolation(
                    INVALID,
                    0,
                    "unsupported format version " + version + " (this Vigil reads version " + WalFormat.VERSION
                            + "); unless the file comes from a newer writer, the header is corrupt");
        }
        int flags = readShort(fixed, 10);
        if (flags != 0) {
            throw new FormatViolation(INVALID, 0, "unknown header flags 0x" + Integer.toHexString(flags));
        }
        int idLength = readShort(fixed, 28);
        if (idLength < 1 || idLength > PartitionId.MAX_LENGTH) {
            throw new FormatViolation(
                    INVALID, 0, "partition id length " + idLength + " is outside 1.." + PartitionId.MAX_LENGTH);
        }
        byte[] rest = new byte[idLength + WalFormat.HEADER_CRC_LENGTH];
        if (input.read(rest, 0, rest.length) < rest.length) {
            throw new FormatViolation(INCOMPLETE, 0, "file ends inside the header");
        }
        CRC32C crc = new CRC32C();
        crc.update(fixed);
        crc.update(rest, 0, idLength);
        int stored = readInt(rest, idLength);
        if (stored != (int) crc.getValue()) {
            throw new FormatViolation(
                    INVALID,
                    0,
                    "header CRC mismatch (stored " + hex(stored) + ", computed " + hex((int) crc.getValue()) + ")");
        }
        String id = new String(rest, 0, idLength, StandardCharsets.US_ASCII);
        if (!PartitionId.isValid(id)) {
            throw new FormatViolation(INVALID, 0, "header holds an invalid partition id '" + id + "'");
        }
        long firstLsn = readLong(fixed, 12);
        if (firstLsn < 1) {
            throw new FormatViolation(INVALID, 0, "header holds an invalid first LSN " + firstLsn);
        }
        header = new SegmentHeader(version, PartitionId.of(id), firstLsn, readLong(fixed, 20));
        nextLsn = firstLsn;
        return header;
    }

    /** Reads the next frame, or {@link EndOfInput} when the input ends exactly at a frame boundary. */
    Frame readFrame() throws IOException, FormatViolation {
        long offset = input.offset();
        int n = input.read(frameHeader, 0, frameHeader.length);
        if (n == 0) {
            return new EndOfInput(offset);
        }
        if (n < frameHeader.length) {
            throw frameViolation(INCOMPLETE, offset, "file ends inside a frame header (" + n + " of 8 bytes)");
        }
        int length = readInt(frameHeader, 0);
        if (length < WalFormat.MIN_PAYLOAD_LENGTH || length > WalFormat.MAX_PAYLOAD_LENGTH) {
            throw frameViolation(
                    INVALID,
                    offset,
                    "frame length " + Integer.toUnsignedString(length) + " is outside " + WalFormat.MIN_PAYLOAD_LENGTH
                            + ".." + WalFormat.MAX_PAYLOAD_LENGTH);
        }
        if (knownSize >= 0 && length > knownSize - input.offset()) {
            throw frameViolation(
                    INCOMPLETE,
                    offset,
                    "frame length " + length + " runs past the end of the file (" + (knownSize - input.offset())
                            + " bytes remain)");
        }
        if (payload.length < length) {
            payload = new byte[Math.max(length, Math.min(2 * payload.length, WalFormat.MAX_PAYLOAD_LENGTH))];
        }
        int read = input.read(payload, 0, length);
        if (read < length) {
            throw frameViolation(
                    INCOMPLETE, offset, "file ends inside a frame (" + read + " of " + length + " payload bytes)");
        }
        frameCrc.reset();
        frameCrc.update(payload, 0, length);
        int stored = readInt(frameHeader, 4);
        if (stored != (int) frameCrc.getValue()) {
            throw frameViolation(
                    INVALID,
                    offset,
                    "frame CRC mismatch (stored " + hex(stored) + ", computed " + hex((int) frameCrc.getValue()) + ")");
        }
        return switch (payload[0]) {
            case WalFormat.TYPE_PUT, WalFormat.TYPE_DELETE -> record(offset, length);
            case WalFormat.TYPE_SEAL -> seal(offset, length);
            default ->
                throw frameViolation(INVALID, offset, "unknown frame type 0x" + Integer.toHexString(payload[0] & 0xff));
        };
    }

    /** Checks that the end marker follows and that nothing follows it. */
    void readEndMarker() throws IOException, FormatViolation {
        long offset = input.offset();
        byte[] marker = new byte[WalFormat.END_MARKER.length];
        int n = input.read(marker, 0, marker.length);
        if (n < marker.length) {
            throw new FormatViolation(INCOMPLETE, offset, "file ends inside the end marker");
        }
        if (!Arrays.equals(marker, WalFormat.END_MARKER)) {
            throw new FormatViolation(INVALID, offset, "bad end marker after the seal");
        }
        if (!input.atEnd()) {
            long trailing = input.offset();
            long extra = input.drain();
            throw new FormatViolation(INVALID, trailing, extra + " unexpected bytes after the end marker");
        }
    }

    private RecordFrame record(long offset, int length) throws FormatViolation {
        boolean put = payload[0] == WalFormat.TYPE_PUT;
        long lsn = readLong(payload, 1);
        long timestamp = readLong(payload, 9);
        int keyLength = readInt(payload, 17);
        int fixed = put ? WalFormat.PUT_FIXED_LENGTH : WalFormat.RECORD_FIXED_LENGTH;
        if (keyLength < 0 || keyLength > WalFormat.MAX_KEY_LENGTH || keyLength > length - fixed) {
            throw frameViolation(
                    INVALID,
                    offset,
                    "key length " + Integer.toUnsignedString(keyLength) + " does not fit the frame of " + length
                            + " bytes");
        }
        int valueLength = 0;
        if (put) {
            valueLength = readInt(payload, WalFormat.RECORD_FIXED_LENGTH + keyLength);
            if (valueLength != length - fixed - keyLength || valueLength > WalFormat.MAX_VALUE_LENGTH) {
                throw frameViolation(
                        INVALID,
                        offset,
                        "value length " + Integer.toUnsignedString(valueLength) + " does not fit the frame of " + length
                                + " bytes");
            }
        } else if (keyLength != length - fixed) {
            throw frameViolation(
                    INVALID, offset, "DELETE frame of " + length + " bytes has a key of " + keyLength + " bytes");
        }
        if (lsn != nextLsn) {
            throw new FormatViolation(
                    INCONSISTENT,
                    offset,
                    "LSN " + lsn + " where " + nextLsn + " was expected"
                            + (recordCount == 0 ? " (the header's first LSN)" : " (LSNs must be contiguous)"));
        }
        if (recordCount == 0 && timestamp != header().firstRecordMillis()) {
            throw new FormatViolation(
                    INCONSISTENT,
                    offset,
                    "the first record's timestamp is " + timestamp + " but the" + " header says "
                            + header().firstRecordMillis() + " (the header carries the first record's timestamp)");
        }
        if (recordCount > 0 && timestamp < lastTimestamp) {
            throw new FormatViolation(
                    INCONSISTENT,
                    offset,
                    "record LSN " + lsn + " has timestamp " + timestamp + ", earlier than the previous record's "
                            + lastTimestamp + " (timestamps must not decrease)");
        }
        WalRecord record = null;
        if (materialize) {
            byte[] key = Arrays.copyOfRange(
                    payload, WalFormat.RECORD_FIXED_LENGTH, WalFormat.RECORD_FIXED_LENGTH + keyLength);
            if (put) {
                int valueStart = WalFormat.PUT_FIXED_LENGTH + keyLength;
                record = WalRecord.put(
                        lsn, timestamp, key, Arrays.copyOfRange(payload, valueStart, valueStart + valueLength));
            } else {
                record = WalRecord.delete(lsn, timestamp, key);
            }
        }
        if (recordCount == 0) {
            firstTimestamp = timestamp;
        }
        lastTimestamp = timestamp;
        recordCount++;
        nextLsn++;
        bodyCrc.update(frameHeader);
        bodyCrc.update(payload, 0, length);
        bodyLength += WalFormat.FRAME_OVERHEAD + length;
        return new RecordFrame(offset, record);
    }

    private SealFrame seal(long offset, int length) throws FormatViolation {
        if (length != WalFormat.SEAL_PAYLOAD_LENGTH) {
            throw new FormatViolation(
                    INVALID, offset, "seal frame of " + length + " bytes, expected " + WalFormat.SEAL_PAYLOAD_LENGTH);
        }
        SealFrame seal = new SealFrame(
                offset,
                readLong(payload, 1),
                readLong(payload, 9),
                readLong(payload, 17),
                readLong(payload, 25),
                readLong(payload, 33),
                readInt(payload, 41));
        if (recordCount == 0) {
            throw new FormatViolation(
                    INCONSISTENT, offset, "seal without any record: a sealed segment holds at least one");
        }
        String mismatch = null;
        if (seal.lastLsn() != nextLsn - 1) {
            mismatch = "last LSN " + seal.lastLsn() + " but the records end at " + (nextLsn - 1);
        } else if (seal.recordCount() != recordCount) {
            mismatch = "record count " + seal.recordCount() + " but " + recordCount + " records were read";
        } else if (seal.bodyLength() != bodyLength) {
            mismatch = "body length " + seal.bodyLength() + " but the records span " + bodyLength + " bytes";
        } else if (seal.bodyCrc() != (int) bodyCrc.getValue()) {
            mismatch = "body CRC " + hex(seal.bodyCrc()) + " but the records hash to " + hex((int) bodyCrc.getValue());
        } else if (seal.firstTimestamp() != firstTimestamp || seal.lastTimestamp() != lastTimestamp) {
            mismatch = "time range " + seal.firstTimestamp() + ".." + seal.lastTimestamp() + " but the records span "
                    + firstTimestamp + ".." + lastTimestamp;
        }
        if (mismatch != null) {
            throw new FormatViolation(INCONSISTENT, offset, "seal disagrees with the records: " + mismatch);
        }
        return seal;
    }

    /** A violation in a frame, naming the LSN the next record frame would carry: operators think in LSNs. */
    private FormatViolation frameViolation(FormatViolation.Kind kind, long offset, String reason) {
        String where = recordCount == 0
                ? "the first frame, where record LSN " + nextLsn + " belongs"
                : "the frame after LSN " + (nextLsn - 1) + ", where record LSN " + nextLsn + " or the seal belongs";
        return new FormatViolation(kind, offset, reason + " (in " + where + ")");
    }

    /** The header, once {@link #readHeader} (or whatever reads it first) has read it. */
    SegmentHeader header() {
        if (header == null) {
            throw new IllegalStateException("the segment header has not been read yet");
        }
        return header;
    }

    long recordCount() {
        return recordCount;
    }

    long lastLsn() {
        return nextLsn - 1;
    }

    long firstTimestamp() {
        return firstTimestamp;
    }

    long lastTimestamp() {
        return lastTimestamp;
    }

    static int readShort(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 8) | (bytes[at + 1] & 0xff);
    }

    static int readInt(byte[] bytes, int at) {
        return ((bytes[at] & 0xff) << 24)
                | ((bytes[at + 1] & 0xff) << 16)
                | ((bytes[at + 2] & 0xff) << 8)
                | (bytes[at + 3] & 0xff);
    }

    static long readLong(byte[] bytes, int at) {
        return ((long) readInt(bytes, at) << 32) | (readInt(bytes, at + 4) & 0xffffffffL);
    }

    static String hex(int crc) {
        return String.format("%08x", crc);
    }
}
