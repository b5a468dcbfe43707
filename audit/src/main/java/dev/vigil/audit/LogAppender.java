package dev.vigil.audit;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Appends entries to the repository's log with no lock but the store's "only if absent" put: it claims the next
 * sequence number it believes free by writing the entry there; if another writer got there first, that number exists,
 * so it tries the next. An entry is only ever written after its predecessor was seen, so the log has no gaps, whatever
 * the number of writers. The first append of an instance finds the end of the log by listing it (after that, its own
 * last number is its hint). Thread safe: one append at a time per instance.
 */
public final class LogAppender {

    private final ObjectStore store;
    private long next = -1;

    /** {@code store}: the repository as stored (beneath any encryption), where the entries go. */
    public LogAppender(ObjectStore store) {
        this.store = store;
    }

    /**
     * Appends the entry {@code entryAt} makes for the sequence number it is given; returns the entry as stored.
     *
     * @throws IOException when the store fails (the entry may or may not be there: the caller reports it)
     */
    public synchronized LogEntry append(LongFunction<LogEntry> entryAt) throws IOException {
        if (next < 0) {
            next = end();
        }
        while (true) {
            LogEntry entry = entryAt.apply(next);
            byte[] bytes = entry.encode();
            try {
                store.put(PutRequest.ifAbsent(
                        LogLayout.entryKey(next),
                        ObjectBody.ofBytes(bytes),
                        Checksum.of(ChecksumAlgorithm.SHA256, bytes),
                        Map.of()));
                next++;
                return entry;
            } catch (PreconditionFailedException taken) {
                next++;
            }
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
