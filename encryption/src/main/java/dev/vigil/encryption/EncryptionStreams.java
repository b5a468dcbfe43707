package dev.vigil.encryption;

import dev.vigil.core.checksum.Hasher;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The two small streams the encrypting store needs: a length limit for ranged reads, and hashing what is written. */
final class EncryptionStreams {

    private EncryptionStreams() {}

    /** At most {@code remaining} bytes of a stream; closing it closes the stream. */
    static final class Limited extends FilterInputStream {
        private long remaining;

        Limited(InputStream in, long remaining) {
            super(in);
            this.remaining = remaining;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = super.read(buffer, offset, (int) Math.min(length, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }
    }

    /** Hashes what passes through. */
    static final class Hashing extends FilterOutputStream {
        private final Hasher hasher;

        Hashing(OutputStream out, Hasher hasher) {
            super(out);
            this.hasher = hasher;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) throws IOException {
            hasher.update(buffer, offset, length);
            out.write(buffer, offset, length);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }
    }
}
