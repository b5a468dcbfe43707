package dev.vigil.core.repository;

import dev.vigil.core.ReplicaId;
import java.util.Comparator;

/**
 * Where a scrub report (and the verdict on it) sits in a partition: the LSN the replica had applied when it was
 * scrubbed, and the replica. Ordered by LSN, then replica id.
 */
public record ReportAt(long lsn, ReplicaId replica) implements Comparable<ReportAt> {

    private static final Comparator<ReportAt> ORDER = Comparator.comparingLong(ReportAt::lsn)
            .thenComparing(r -> r.replica().value());

    @Override
    public int compareTo(ReportAt other) {
        return ORDER.compare(this, other);
    }
}
