package dev.vigil.core.repository;

import java.time.Instant;

/**
 * A scrub report as the repository lists it, without reading it.
 *
 * @param at       its LSN and replica
 * @param complete whether both its objects are stored (the digest is written first, the JSON summary last, so a
 *                 scrubber that died between the two leaves an incomplete report that nobody judges)
 * @param storedAt when its newest object was stored
 */
public record PublishedScrub(ReportAt at, boolean complete, Instant storedAt) {}
