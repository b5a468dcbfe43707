package dev.vigil.core.wal;

import dev.vigil.core.checksum.Checksum;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.CRC32C;

/**
 * A buffered view of a segment's bytes that knows its absolute offset and computes the CRC32C of every
 * byte consumed (the whole-file checksum of a segment read to the end). Not thread safe.
 */
final class SegmentInput {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private final CRC32C fileCrc = new CRC32C();
    private int position;
    private int limit;
    private long consumed;
    private boolean eof;

    SegmentInput(InputStream in) {
        this.in = in;
    }

    /** Absolute offset of the next byte to be read. */
    long offset() {
        return consumed;
    }

    /**
     * Reads up to {@code length} bytes, fewer only at the end of the input.
     *
     * @return the number of bytes read
     */
    int read(byte[] target, int targetOffset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            if (position == limit && !fill()) {
                break;
            }
            int n = Math.min(length - done, limit - position);
            System.arraycopy(buffer, position, target, targetOffset + done, n);
            fileCrc.update(buffer, position, n);
            position += n;
            consumed += n;
            done += n;
        }
        return done;
    }

    /** Consumes everything left and returns how many bytes that was. */
    long drain() throws IOException {
        long drained = 0;
        while (position < limit || fill()) {
            int n = limit - position;
            fileCrc.update(buffer, position, n);
            position = limit;
            consumed += n;
            drained += n;
        }
        return drained;
    }

    /** True when no byte is left. */
    boolean atEnd() throws IOException {
        return position == limit && !fill();
    }

    /** CRC32C of all bytes consumed so far. */
    Checksum checksum() {
        return Checksum.crc32c((int) fileCrc.getValue());
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buffer, 0, buffer.length);
        while (n == 0) {
            n = in.read(buffer, 0, buffer.length);
        }
        if (n < 0) {
            eof = true;
            return false;
        }
        position = 0;
        limit = n;
        return true;
    }
}
