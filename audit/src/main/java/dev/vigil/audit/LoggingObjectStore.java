package dev.vigil.audit;

import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PutRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The repository with every put and delete logged ({@link LogAppender}): a put is hashed (SHA-256) as the store reads
 * it, and once the store holds it, an entry with that hash is appended; a delete is logged before it is made. It sits
 * directly over the store as stored (beneath encryption), so it hashes what the bucket holds. The log's own objects
 * are not logged. When the entry cannot be appended after a put, the put fails with the reason (the object is stored
 * but unlogged, and the audit names it). Thread safe if the store is.
 */
public final class LoggingObjectStore extends ForwardingObjectStore {

    private final ObjectStore delegate;
    private final LogAppender log;
    private final Clock clock;
    private final String writer;

    /** {@code writer}: who appends, for the entries (host and pid). */
    public LoggingObjectStore(ObjectStore delegate, LogAppender log, Clock clock, String writer) {
        super(delegate);
        this.delegate = delegate;
        this.log = log;
        this.clock = clock;
        this.writer = writer;
    }

    @Override
    public ObjectInfo put(PutRequest request) throws IOException {
        if (LogLayout.isLog(request.key())) {
            return delegate.put(request);
        }
        Hashing body = new Hashing(request.body());
        ObjectInfo stored = delegate.put(request.withContent(body, request.checksum(), request.metadata()));
        logPut(request.key(), body);
        return stored;
    }

    @Override
    public ObjectInfo putConfirmed(PutRequest request) throws IOException {
        if (LogLayout.isLog(request.key())) {
            return delegate.putConfirmed(request);
        }
        Hashing body = new Hashing(request.body());
        ObjectInfo stored = delegate.putConfirmed(request.withContent(body, request.checksum(), request.metadata()));
        logPut(request.key(), body);
        return stored;
    }

    @Override
    public void delete(String key) throws IOException {
        if (!LogLayout.isLog(key)) {
            log.append(seq -> LogEntry.delete(seq, key, clock.instant(), writer));
        }
        delegate.delete(key);
    }

    private void logPut(String key, Hashing body) throws IOException {
        byte[] sha256 = body.digest();
        try {
            log.append(seq -> LogEntry.put(seq, key, sha256, body.length(), clock.instant(), writer));
        } catch (IOException e) {
            throw new IOException(
                    describe() + ": " + key + " is stored but could not be logged (" + e.getMessage() + "); the audit"
                            + " names it until it is logged",
                    e);
        }
    }

    /** A body whose last complete read is hashed: the bytes the store took. */
    private static final class Hashing implements ObjectBody {
        private final ObjectBody body;
        private final AtomicReference<byte @Nullable []> complete = new AtomicReference<>();

        Hashing(ObjectBody body) {
            this.body = body;
        }

        @Override
        public long length() {
            return body.length();
        }

        @Override
        public String describe() {
            return body.describe();
        }

        @Override
        public InputStream open() throws IOException {
            MessageDigest digest = sha256();
            return new FilterInputStream(body.open()) {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        digest.update((byte) b);
                        count(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        digest.update(buffer, offset, n);
                        count(n);
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    throw new IOException("a logged body is read whole, never skipped");
                }

                private void count(int n) {
                    read += n;
                    if (read == body.length()) {
                        complete.set(digest.digest());
                    }
                }
            };
        }

        /** The SHA-256 of the bytes the store read last in full, or of the body read once more if it never did. */
        byte[] digest() throws IOException {
            byte[] done = complete.get();
            if (done != null) {
                return done;
            }
            if (body.length() == 0) {
                return sha256().digest();
            }
            MessageDigest digest = sha256();
            try (InputStream in = body.open()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return digest.digest();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The writer name of this process: host and pid. */
    public static String thisProcess() {
        ProcessTag self = ProcessTag.current();
        return self.host() + "/" + self.pid();
    }
}
