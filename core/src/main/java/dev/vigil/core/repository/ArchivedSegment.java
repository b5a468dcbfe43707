package dev.vigil.core.repository;

import dev.vigil.core.LsnRange;
import java.time.Instant;

/**
 * A segment in the repository, as its key and listing describe it.
 *
 * @param version the store's identity of this version of the object ({@link dev.vigil.core.store.ObjectSummary#version})
 */
public record ArchivedSegment(String key, LsnRange range, long size, Instant lastModified, String version) {

    /** A segment this process has just stored and not listed: its version is not known yet. */
    public static ArchivedSegment justStored(String key, LsnRange range, long size, Instant at) {
        return new ArchivedSegment(key, range, size, at, "(not listed yet)");
    }
}
