package dev.vigil.core.repository;

import dev.vigil.core.digest.Digest;

/**
 * A published scrub report read back: its JSON summary, its decoded (CRC-checked) digest, and its difference sketch
 * as far as one was published and is intact.
 */
public record ScrubEvidence(ScrubReport report, Digest digest, SketchRead sketch) {}
