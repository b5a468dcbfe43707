package dev.vigil.audit;

import dev.vigil.core.io.ProcessTag;
import dev.vigil.core.store.ForwardingObjectStore;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectInfo;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PutRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The repository with every put and delete logged ({@link LogAppender}): a put is hashed (SHA-256) as the store reads
 * it, and once the store holds it, an entry with that hash is appended; a delete is logged before it is made. It sits
 * directly over the store as stored (beneath encryption), so it hashes what the bucket holds. The log's own objects
 * are not logged. Each put and delete is recorded as an intent on local disk first ({@link LogIntents}) and forgotten
 * once logged, so that a process killed in between is finished by the next one ({@link #recover}): the audit calls such
 * an object pending, not inserted, until then. When the entry cannot be appended after a put, the put fails with the
 * reason (the object is stored, the intent kept). Thread safe if the store is.
 */
public final class LoggingObjectStore extends ForwardingObjectStore {

    private final ObjectStore delegate;
    private final LogAppender log;
    private final Clock clock;
    private final String writer;
    private final LogIntents intents;

    /** {@code writer}: who appends, for the entries (host and pid); {@code intents}: where this process's go. */
    public LoggingObjectStore(ObjectStore delegate, LogAppender log, Clock clock, String writer, LogIntents intents) {
        super(delegate);
        this.delegate = delegate;
        this.log = log;
        this.clock = clock;
        this.writer = writer;
        this.intents = intents;
    }

    /**
     * Finishes what processes that died on this host left unlogged: a put whose object is stored is logged with the
     * bytes stored now; a delete is logged (again: a repeated entry is harmless) and made. Returns what was finished.
     */
    public List<String> recover() throws IOException {
        List<String> finished = new ArrayList<>();
        for (LogIntents.Intent intent : intents.abandoned()) {
            if (intent.op() == LogEntry.Op.PUT) {
                try {
                    StoredHash stored = StoredHash.of(delegate, intent.key());
                    log.append(seq ->
                            LogEntry.put(seq, intent.key(), stored.sha256(), stored.size(), clock.instant(), writer));
                    finished.add("logged " + intent.key() + ", stored by a process that died before logging it");
                } catch (ObjectNotFoundException neverStored) {
                    finished.add("dropped the intent to store " + intent.key() + ": it was never stored");
                }
            } else {
                log.append(seq -> LogEntry.delete(seq, intent.key(), clock.instant(), writer));
                delegate.delete(intent.key());
                finished.add("deleted " + intent.key() + ", as a process that died had logged it would be");
            }
            intents.done(intent);
        }
        intents.sweep();
        return finished;
    }

    @Override
    public ObjectInfo put(PutRequest request) throws IOException {
        return logged(request, delegate::put);
    }

    @Override
    public ObjectInfo putConfirmed(PutRequest request) throws IOException {
        return logged(request, delegate::putConfirmed);
    }

    /** How the delegate stores a put ({@code put} or {@code putConfirmed}). */
    @FunctionalInterface
    private interface Store {
        ObjectInfo store(PutRequest request) throws IOException;
    }

    /** Stores {@code request} as {@code store} does, between its intent and its entry (the log's own keys as they are). */
    private ObjectInfo logged(PutRequest request, Store store) throws IOException {
        if (LogLayout.isLog(request.key())) {
            return store.store(request);
        }
        LogIntents.Intent intent = intents.record(LogEntry.Op.PUT, request.key());
        Hashing body = new Hashing(request.body());
        ObjectInfo stored;
        try {
            stored = store.store(request.withContent(body, request.checksum(), request.metadata()));
        } catch (IOException | RuntimeException e) {
            intents.keep(intent); // stored or not: the next process on this host finds out
            throw e;
        }
        logPut(request.key(), body, intent);
        return stored;
    }

    /** Closes this process's intent journal (removed when nothing in it is undone), then the store. */
    @Override
    public void close() throws IOException {
        try {
            intents.close();
        } finally {
            super.close();
        }
    }

    @Override
    public void delete(String key) throws IOException {
        if (LogLayout.isLog(key)) {
            delegate.delete(key);
            return;
        }
        LogIntents.Intent intent = intents.record(LogEntry.Op.DELETE, key);
        try {
            log.append(seq -> LogEntry.delete(seq, key, clock.instant(), writer));
            delegate.delete(key);
        } catch (IOException | RuntimeException e) {
            intents.keep(intent);
            throw e;
        }
        intents.done(intent);
    }

    private void logPut(String key, Hashing body, LogIntents.Intent intent) throws IOException {
        byte[] sha256 = body.digest();
        try {
            log.append(seq -> LogEntry.put(seq, key, sha256, body.length(), clock.instant(), writer));
            intents.done(intent);
        } catch (IOException e) {
            intents.keep(intent);
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
