package dev.vigil.core.store;

import java.time.Instant;

/** A listed object: key, size and modification time (listing does not return checksums or metadata). */
public record ObjectSummary(String key, long size, Instant lastModified) {
}
