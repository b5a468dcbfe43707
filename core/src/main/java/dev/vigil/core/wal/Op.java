package dev.vigil.core.wal;

/** The mutation a WAL record carries. */
public enum Op {
    PUT(WalFormat.TYPE_PUT),
    DELETE(WalFormat.TYPE_DELETE);

    private final byte code;

    Op(byte code) {
        this.code = code;
    }

    /** The frame type byte of this operation. */
    public byte code() {
        return code;
    }
}
