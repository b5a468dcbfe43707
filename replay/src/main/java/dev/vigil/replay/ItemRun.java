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

    /** The items of an open run. */
    interface Items extends Iterator<ReferenceItem>, AutoCloseable {
        @Override
        void close() throws IOException;
    }
}
