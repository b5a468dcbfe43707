package dev.vigil.core.store;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.Hasher;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of an object (or of a range of it) and what the store said about it. For a whole-object read
 * it hashes every byte and, on reaching the end, compares size and checksum with the object's metadata:
 * a mismatch raises {@link ObjectCorruptException} from the {@code read} that hit the end, so a consumer
 * that reads to the end can never take damaged bytes for good ones. Not thread safe.
 */
public final class ObjectStream extends FilterInputStream {

    private final String store;
    private final ObjectInfo info;
    private final Optional<Checksum> expected;
    private final long expectedLength;
    private final @Nullable Hasher hasher;
    private long count;
    private boolean verified;

    private ObjectStream(
            InputStream in, String store, ObjectInfo info, Optional<Checksum> expected, long expectedLength) {
        super(in);
        this.store = store;
        this.info = info;
        this.expected = expected;
        this.expectedLength = expectedLength;
        this.hasher = expected.map(c -> c.algorithm().newHasher()).orElse(null);
    }

    /** A whole-object stream verified against {@code info.checksum()} at its end (for store implementations). */
    public static ObjectStream verified(InputStream in, String store, ObjectInfo info) {
        return new ObjectStream(in, store, info, Optional.of(info.checksum()), info.size());
    }

    /** A stream over a range: only its length is checked (for store implementations). */
    public static ObjectStream ranged(InputStream in, String store, ObjectInfo info, long rangeLength) {
        return new ObjectStream(in, store, info, Optional.empty(), rangeLength);
    }

    /** What the store said about the whole object. */
    public ObjectInfo info() {
        return info;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = in.read(buffer, offset, length);
        if (n > 0) {
            if (hasher != null) {
                hasher.update(buffer, offset, n);
            }
            count += n;
            if (count > expectedLength) {
                throw new ObjectCorruptException(
                        store, info.key(), "more bytes than the " + expectedLength + " expected");
            }
        } else if (n < 0) {
            verifyAtEnd();
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] discard = new byte[(int) Math.min(n, 8192)];
        long skipped = 0;
        while (skipped < n) {
            int r = read(discard, 0, (int) Math.min(discard.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verifyAtEnd() throws IOException {
        if (verified) {
            return;
        }
        verified = true;
        if (count != expectedLength) {
            throw new ObjectCorruptException(
                    store, info.key(), "ended after " + count + " bytes, " + expectedLength + " expected");
        }
        if (hasher != null) {
            Checksum actual = hasher.finish();
            if (!actual.equals(expected.get())) {
                throw new ObjectCorruptException(
                        store,
                        info.key(),
                        "content hashes to " + actual + " but the object was stored with " + expected.get());
            }
        }
    }
}
