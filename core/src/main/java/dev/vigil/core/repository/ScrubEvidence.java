package dev.vigil.core.repository;

import dev.vigil.core.digest.Digest;

/** A published scrub report read back: its JSON summary and its decoded (CRC-checked) digest. */
public record ScrubEvidence(ScrubReport report, Digest digest) {}
