package dev.vigil.core.digest;

/**
 * What JSON documents say about a digest (a scrub report's {@code digest}): its algorithm in lower case, its bucket
 * count, its item count and its root in hex. The binary digest beside it is the evidence; this is for people and
 * listings.
 */
public record DigestSummary(String algorithm, int buckets, long items, String root) {}
