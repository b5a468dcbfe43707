package dev.vigil.core.repository;

import dev.vigil.core.LsnRange;
import java.time.Instant;

/** A segment in the repository, as its key and listing describe it. */
public record ArchivedSegment(String key, LsnRange range, long size, Instant lastModified) {
}
