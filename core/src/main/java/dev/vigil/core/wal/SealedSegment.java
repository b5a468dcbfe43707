package dev.vigil.core.wal;

import java.nio.file.Path;

/** A segment file after sealing: its final path and its summary. */
public record SealedSegment(Path path, SegmentSummary summary) {}
