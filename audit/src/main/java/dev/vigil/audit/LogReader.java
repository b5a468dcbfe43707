package dev.vigil.audit;

import dev.vigil.core.store.ObjectListing;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Reads the log's entries and checkpoints as stored, in order. Stateless. */
final class LogReader {

    private LogReader() {}

    /** The sequence numbers of the stored entries, ascending (listing order). */
    static List<Long> entryNumbers(ObjectStore store) throws IOException {
        return numbers(store, LogLayout.ENTRIES);
    }

    /** The sequence numbers of the stored entries from {@code from} on, ascending (listed from there). */
    static List<Long> entryNumbersFrom(ObjectStore store, long from) throws IOException {
        List<Long> numbers = new ArrayList<>();
        Optional<String> next = from == 0 ? Optional.empty() : Optional.of(LogLayout.entryKey(from - 1));
        do {
            ObjectListing listing = store.list(LogLayout.ENTRIES, next, ObjectListing.MAX_KEYS);
            for (ObjectSummary object : listing.objects()) {
                LogLayout.number(object.key(), LogLayout.ENTRIES).ifPresent(n -> numbers.add(n));
            }
            next = listing.nextStartAfter();
        } while (next.isPresent());
        return numbers;
    }

    /** The sizes of the stored checkpoints, ascending. */
    static List<Long> checkpointSizes(ObjectStore store) throws IOException {
        return numbers(store, LogLayout.CHECKPOINTS);
    }

    static byte[] read(ObjectStore store, String key) throws IOException {
        try (ObjectStream in = store.get(key)) {
            return in.readAllBytes();
        }
    }

    private static List<Long> numbers(ObjectStore store, String prefix) throws IOException {
        List<Long> numbers = new ArrayList<>();
        for (Iterator<ObjectSummary> it = store.listAll(prefix); it.hasNext(); ) {
            OptionalLong n = LogLayout.number(it.next().key(), prefix);
            if (n.isPresent()) {
                numbers.add(n.getAsLong());
            }
        }
        return numbers;
    }
}
