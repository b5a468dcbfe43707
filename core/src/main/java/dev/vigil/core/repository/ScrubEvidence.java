package dev.vigil.core.repository;

import dev.vigil.core.digest.Digest;

/**
 * A published scrub report read back: its JSON summary and its decoded (CRC-checked) digest. Its difference sketch,
 * about 100 KB, is read separately ({@link Repository#readScrubSketch}) and only where keys are to be named.
 */
public record ScrubEvidence(ScrubReport report, Digest digest) {}
