package dev.vigil.replay;

import java.io.IOException;
import java.util.Iterator;

/**
 * One run of items in strictly ascending key order, opened when it is read; a load reads several runs at once, each
 * of whose keys all sort after those of the run before it (a snapshot's Parquet parts).
 */
@FunctionalInterface
public interface ItemRun {

    /** Opens the run; the caller closes what it returns. Reading may throw {@link java.io.UncheckedIOException}. */
    Items open() throws IOException;

    /** A run of the items {@code items} yields (opened once; nothing to close). */
    static ItemRun of(Iterator<ReferenceItem> items) {
        Items run = new Items() {
            @Override
            public boolean hasNext() {
                return items.hasNext();
            }

            @Override
            public ReferenceItem next() {
                return items.next();
            }

            @Override
            public void close() {}
        };
        return () -> run;
    }

    /** The items of an open run. */
    interface Items extends Iterator<ReferenceItem>, AutoCloseable {
        @Override
        void close() throws IOException;
    }
}
