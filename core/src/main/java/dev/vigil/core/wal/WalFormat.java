package dev.vigil.core.wal;

import dev.vigil.core.PartitionId;

/**
 * Constants of the WAL segment format, version 1. {@code docs/wal-format.md} is the specification; the
 * names here follow it.
 */
public final class WalFormat {

    public static final int VERSION = 1;

    /** {@code \x89VWAL\r\n\x1a}: non-ASCII first byte, CR LF and Ctrl-Z catch text-mode damage. */
    static final byte[] MAGIC = {(byte) 0x89, 'V', 'W', 'A', 'L', '\r', '\n', 0x1A};

    /** {@code VWALEND\n}: the last eight bytes of a sealed segment. */
    static final byte[] END_MARKER = {'V', 'W', 'A', 'L', 'E', 'N', 'D', '\n'};

    /** Header bytes before the partition id: magic, version, flags, first LSN, creation time, id length. */
    static final int HEADER_FIXED_LENGTH = 30;

    static final int HEADER_CRC_LENGTH = 4;

    /** Length field plus CRC field in front of every payload. */
    public static final int FRAME_OVERHEAD = 8;

    public static final byte TYPE_PUT = 0x01;
    public static final byte TYPE_DELETE = 0x02;
    public static final byte TYPE_SEAL = 0x7F;

    /** type, LSN, timestamp, key length. */
    static final int RECORD_FIXED_LENGTH = 1 + 8 + 8 + 4;

    static final int PUT_FIXED_LENGTH = RECORD_FIXED_LENGTH + 4;

    static final int SEAL_PAYLOAD_LENGTH = 1 + 8 + 8 + 8 + 8 + 8 + 4;

    /** Seal frame plus end marker: the fixed tail of every sealed segment. */
    public static final int TAIL_LENGTH = FRAME_OVERHEAD + SEAL_PAYLOAD_LENGTH + 8;

    public static final int MAX_KEY_LENGTH = 64 * 1024;

    public static final int MAX_VALUE_LENGTH = 16 * 1024 * 1024;

    /** Largest payload length a reader accepts before allocating anything. */
    static final int MAX_PAYLOAD_LENGTH = PUT_FIXED_LENGTH + MAX_KEY_LENGTH + MAX_VALUE_LENGTH;

    /** Smallest payload of any frame type (a DELETE of an empty key). */
    static final int MIN_PAYLOAD_LENGTH = RECORD_FIXED_LENGTH;

    private WalFormat() {}

    /** Length in bytes of the header for a partition id. */
    public static int headerLength(PartitionId partition) {
        return HEADER_FIXED_LENGTH + partition.value().length() + HEADER_CRC_LENGTH;
    }

    /** Length in bytes of the frame holding one record. */
    public static int frameLength(Op op, int keyLength, int valueLength) {
        return FRAME_OVERHEAD
                + switch (op) {
                    case PUT -> PUT_FIXED_LENGTH + keyLength + valueLength;
                    case DELETE -> RECORD_FIXED_LENGTH + keyLength;
                };
    }
}
