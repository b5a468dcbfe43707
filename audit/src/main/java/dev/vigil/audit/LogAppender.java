package dev.vigil.audit;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Appends entries to the repository's log with no lock but the store's "only if absent" put: it claims the next
 * sequence number it believes free by writing the log object there; if another writer got there first, that number
 * exists, so it tries the next. An object is only ever written after its predecessor was seen, so the log has no gaps,
 * whatever the number of writers. The first append of an instance finds the end of the log by listing it (after that,
 * its own last number is its hint).
 *
 * <p>Group commit: within one process, appends are written one log object at a time, and the entries of the threads
 * that asked meanwhile are written together, as one object (a bundle of up to {@value #MAX_BUNDLE} entries, each
 * carrying the object's number): one request for many puts, and no thread waits behind more than one write. A lone
 * entry is written as a single entry, as before bundles existed. Thread safe.
 */
public final class LogAppender {

    /** The most entries one log object holds (an entry is a few hundred bytes). */
    static final int MAX_BUNDLE = 64;

    private final ObjectStore store;
    private final Object lock = new Object();
    /** Appends waiting to be written, oldest first; guarded by {@link #lock}. */
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    /** Whether a thread is writing a bundle now; guarded by {@link #lock}. */
    private boolean writing;
    /** The next number believed free; only the writing thread uses it. */
    private long next = -1;

    /** One append: how to make its entry for a number, and, once written or failed, what happened. */
    private static final class Pending {
        final LongFunction<LogEntry> entryAt;

        @Nullable
        LogEntry appended;

        @Nullable
        IOException failed;

        Pending(LongFunction<LogEntry> entryAt) {
            this.entryAt = entryAt;
        }

        boolean done() {
            return appended != null || failed != null;
        }
    }

    /** {@code store}: the repository as stored (beneath any encryption), where the entries go. */
    public LogAppender(ObjectStore store) {
        this.store = store;
    }

    /**
     * Appends the entry {@code entryAt} makes for the number of the log object it is written in; returns the entry as
     * stored. {@code entryAt} may be called more than once (once per number tried), from another thread.
     *
     * @throws IOException when the store fails (the entry may or may not be there: the caller reports it)
     */
    public LogEntry append(LongFunction<LogEntry> entryAt) throws IOException {
        Pending mine = new Pending(entryAt);
        boolean writer;
        synchronized (lock) {
            queue.add(mine);
            boolean interrupted = false;
            while (writing && !mine.done()) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                    if (queue.remove(mine)) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting to append to the log");
                    }
                    // already being written: wait for its outcome
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            writer = !mine.done();
            if (writer) {
                writing = true;
            }
        }
        if (writer) {
            try {
                // Oldest first: this thread's own append is in one of the next bundles.
                while (!isDone(mine)) {
                    List<Pending> bundle = new ArrayList<>();
                    synchronized (lock) {
                        while (!queue.isEmpty() && bundle.size() < MAX_BUNDLE) {
                            bundle.add(queue.poll());
                        }
                    }
                    if (bundle.isEmpty()) {
                        // Taken into a bundle whose writer died of an Error: never written, never to be.
                        complete(List.of(mine), null, new IOException("the log write that held this entry failed"));
                        break;
                    }
                    try {
                        write(bundle);
                    } catch (Error e) {
                        complete(bundle, null, new IOException("the log write failed: " + e, e));
                        throw e;
                    }
                }
            } finally {
                synchronized (lock) {
                    writing = false;
                    lock.notifyAll();
                }
            }
        }
        synchronized (lock) {
            if (mine.failed != null) {
                throw new IOException(mine.failed.getMessage(), mine.failed);
            }
            if (mine.appended == null) {
                throw new IllegalStateException("an append returns once written or failed");
            }
            return mine.appended;
        }
    }

    /** How many appends wait to be written now (for tests that wait for a bundle to form). */
    int waiting() {
        synchronized (lock) {
            return queue.size();
        }
    }

    private boolean isDone(Pending pending) {
        synchronized (lock) {
            return pending.done();
        }
    }

    /** Writes {@code bundle} as one log object at the next free number, and completes each of its appends. */
    private void write(List<Pending> bundle) {
        if (bundle.isEmpty()) {
            return;
        }
        try {
            if (next < 0) {
                next = end();
            }
            while (true) {
                long seq = next;
                List<LogEntry> entries = new ArrayList<>(bundle.size());
                for (Pending pending : bundle) {
                    entries.add(pending.entryAt.apply(seq));
                }
                byte[] bytes = LogEntry.encodeAll(entries);
                try {
                    store.put(PutRequest.ifAbsent(
                            LogLayout.entryKey(seq),
                            ObjectBody.ofBytes(bytes),
                            Checksum.of(ChecksumAlgorithm.SHA256, bytes),
                            Map.of()));
                    next++;
                    complete(bundle, entries, null);
                    return;
                } catch (PreconditionFailedException taken) {
                    next++;
                }
            }
        } catch (IOException e) {
            complete(bundle, null, e);
        } catch (RuntimeException e) {
            complete(bundle, null, new IOException("the log entry could not be made: " + e, e));
        }
    }

    private void complete(List<Pending> bundle, @Nullable List<LogEntry> entries, @Nullable IOException failed) {
        synchronized (lock) {
            for (int i = 0; i < bundle.size(); i++) {
                if (bundle.get(i).done()) {
                    continue;
                }
                if (entries != null) {
                    bundle.get(i).appended = entries.get(i);
                } else {
                    bundle.get(i).failed = failed;
                }
            }
            lock.notifyAll();
        }
    }

    /** The first sequence number with no entry: one past the last listed. */
    private long end() throws IOException {
        long last = -1;
        for (Iterator<ObjectSummary> it = store.listAll(LogLayout.ENTRIES); it.hasNext(); ) {
            Optional<Long> seq = boxed(LogLayout.number(it.next().key(), LogLayout.ENTRIES));
            if (seq.isPresent()) {
                last = Math.max(last, seq.get());
            }
        }
        return last + 1;
    }

    private static Optional<Long> boxed(java.util.OptionalLong value) {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }
}
