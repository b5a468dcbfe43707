package dev.vigil.archiver;

import dev.vigil.core.LsnRange;
import java.nio.file.Path;
import java.time.Instant;

/** A sealed segment file in a WAL directory; {@code sealedAt} is its modification time (when it was sealed). */
public record LocalSegment(Path path, LsnRange range, long size, Instant sealedAt) {}
