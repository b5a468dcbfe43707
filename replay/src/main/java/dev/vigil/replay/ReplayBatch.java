package dev.vigil.replay;

import java.nio.ByteBuffer;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * The native write batch a reference's replay fills and writes, reused from one batch of records to the next (making
 * one costs a native allocation), with the puts of a reference that stores each item behind its LSN staged in reused
 * direct buffers: the key, and the LSN and item hash or value, are copied once each into memory RocksDB reads without
 * another copy,
 * instead of a new array per record that the native side copies again. Values larger than {@link #STAGED_LIMIT} take
 * the array path; a batch that grew past {@link #KEPT_BYTES} is replaced after it is written, so that a batch of large
 * values does not stay allocated. Not thread safe; closed by the reference that owns it.
 */
final class ReplayBatch implements AutoCloseable {

    /**
     * The largest LSN and value staged in a direct buffer; keys, at most
     * {@link dev.vigil.core.wal.WalFormat#MAX_KEY_LENGTH}, always are.
     */
    static final int STAGED_LIMIT = 1 << 20;

    /** The largest write batch kept for the next batch of records. */
    static final long KEPT_BYTES = 16L * 1024 * 1024;

    /** Writes a filled batch (the reference's database; a test's failing writer). */
    @FunctionalInterface
    interface Writer {
        void write(WriteBatch batch) throws RocksDBException;
    }

    private final ReferenceLocation.Layout layout;
    private WriteBatch batch = new WriteBatch();
    private ByteBuffer stagedKey = ByteBuffer.allocateDirect(256);
    private ByteBuffer stagedValue = ByteBuffer.allocateDirect(4096 + Long.BYTES);

    /** @param layout how the reference stores an item: its LSN and item hash, its LSN and value, or its value */
    ReplayBatch(ReferenceLocation.Layout layout) {
        this.layout = layout;
    }

    /** Empties the batch for the next batch of records. */
    void clear() throws RocksDBException {
        batch.clear();
    }

    /** A put of {@code value} with item hash {@code itemHash}, written at {@code lsn}, in the reference's layout. */
    void put(byte[] key, long lsn, byte[] value, long[] itemHash) throws RocksDBException {
        if (layout == ReferenceLocation.Layout.VALUES) {
            batch.put(key, value);
        } else if (layout == ReferenceLocation.Layout.HASHES) {
            stagedKey = staging(stagedKey, key.length);
            stagedKey.put(key).flip();
            stagedValue = staging(stagedValue, ReferenceDatabase.HASHED_BYTES);
            stagedValue.putLong(lsn).putLong(itemHash[0]).putLong(itemHash[1]).flip();
            batch.put(stagedKey, stagedValue);
        } else if (value.length > STAGED_LIMIT - Long.BYTES) {
            batch.put(key, ReferenceDatabase.stored(lsn, value));
        } else {
            stagedKey = staging(stagedKey, key.length);
            stagedKey.put(key).flip();
            stagedValue = staging(stagedValue, Long.BYTES + value.length);
            stagedValue.putLong(lsn).put(value).flip();
            batch.put(stagedKey, stagedValue);
        }
    }

    void delete(byte[] key) throws RocksDBException {
        batch.delete(key);
    }

    /** Writes the batch with {@code writer}; RocksDB applies it whole or not at all. */
    void write(Writer writer) throws RocksDBException {
        writer.write(batch);
        if (batch.getDataSize() > KEPT_BYTES) {
            batch.close();
            batch = new WriteBatch();
        }
    }

    /** {@code buffer} cleared, or a larger direct buffer when it cannot hold {@code bytes}. */
    private static ByteBuffer staging(ByteBuffer buffer, int bytes) {
        if (buffer.capacity() >= bytes) {
            return buffer.clear();
        }
        return ByteBuffer.allocateDirect(Math.max(bytes, Math.min(STAGED_LIMIT, 2 * buffer.capacity())));
    }

    @Override
    public void close() {
        batch.close();
    }
}
