package dev.vigil.core.wal;

import dev.vigil.core.Lsn;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One mutation in a WAL segment. {@code value} is empty for {@link Op#DELETE}. The arrays are owned by
 * the record once constructed (callers must not mutate them afterwards); they are not copied, because
 * records are created once per applied mutation on hot paths.
 */
public record WalRecord(long lsn, long timestampMillis, Op op, byte[] key, byte[] value) {

    private static final byte[] EMPTY = new byte[0];

    public WalRecord {
        Lsn.requireValid(lsn, "record LSN");
        if (op == null || key == null) {
            throw new IllegalArgumentException("record " + lsn + ": op and key are required");
        }
        if (value == null) {
            value = EMPTY;
        }
        if (op == Op.DELETE && value.length != 0) {
            throw new IllegalArgumentException("record " + lsn + ": a DELETE carries no value");
        }
        if (key.length > WalFormat.MAX_KEY_LENGTH) {
            throw new IllegalArgumentException("record " + lsn + ": key of " + key.length
                    + " bytes exceeds the limit of " + WalFormat.MAX_KEY_LENGTH);
        }
        if (value.length > WalFormat.MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException("record " + lsn + ": value of " + value.length
                    + " bytes exceeds the limit of " + WalFormat.MAX_VALUE_LENGTH);
        }
    }

    public static WalRecord put(long lsn, long timestampMillis, byte[] key, byte[] value) {
        return new WalRecord(lsn, timestampMillis, Op.PUT, key, value);
    }

    public static WalRecord delete(long lsn, long timestampMillis, byte[] key) {
        return new WalRecord(lsn, timestampMillis, Op.DELETE, key, EMPTY);
    }

    /** Bytes this record occupies in a segment. */
    public int frameLength() {
        return WalFormat.frameLength(op, key.length, value.length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WalRecord that
                && lsn == that.lsn
                && timestampMillis == that.timestampMillis
                && op == that.op
                && Arrays.equals(key, that.key)
                && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        int result = Long.hashCode(lsn);
        result = 31 * result + Long.hashCode(timestampMillis);
        result = 31 * result + op.hashCode();
        result = 31 * result + Arrays.hashCode(key);
        return 31 * result + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "WalRecord[lsn=" + lsn + ", ts=" + timestampMillis + ", " + op + ", key=" + abbreviate(key) + ", value="
                + value.length + " bytes]";
    }

    private static String abbreviate(byte[] bytes) {
        int shown = Math.min(bytes.length, 32);
        String hex = HexFormat.of().formatHex(bytes, 0, shown);
        return bytes.length > shown ? hex + "…(" + bytes.length + " bytes)" : hex;
    }
}
