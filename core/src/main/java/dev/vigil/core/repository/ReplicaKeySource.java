package dev.vigil.core.repository;

import dev.vigil.core.digest.ItemHasher;
import dev.vigil.core.digest.KeyHash;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The replica side of a drill-down: the {@code (key, itemHash)} pairs of some buckets in the exact state a
 * scrub report describes. The scrubber keeps that state (a checkpoint) on the replica's machine until it is
 * judged; an implementation answers when it can reach it. Implementations are thread safe.
 */
public interface ReplicaKeySource {

    /**
     * The pairs of {@code buckets}, in unsigned key order, hashed as {@code hasher} does; empty when the state
     * is not reachable from here (another machine, or released).
     */
    Optional<List<KeyHash>> keyHashes(ScrubReport report, Set<Integer> buckets, ItemHasher hasher) throws IOException;

    /** The report was judged: its retained state may be released. */
    void release(ScrubReport report) throws IOException;
}
