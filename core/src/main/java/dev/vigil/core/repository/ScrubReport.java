package dev.vigil.core.repository;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.digest.DigestSummary;
import java.time.Instant;

/**
 * What a scrub of one replica found, as published to the repository next to the binary digest
 * ({@code partitions/<pid>/scrub/<lsn>/<replica>.json}), with its difference sketch beside it when one was made.
 * {@code checkpoint} is where the scanned state was taken on {@code host}; it is kept there (until judged or its TTL
 * passes, so a drill-down can list keys of that exact state) only without a sketch or with
 * {@code scrub.keep-checkpoint}, and is otherwise gone once the report is published.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScrubReport(
        int version,
        PartitionId partition,
        ReplicaId replica,
        long appliedLsn,
        DigestSummary digest,
        long items,
        long bytes,
        long durationMillis,
        Instant startedAt,
        String host,
        String checkpoint)
        implements VersionedDocument {

    /** The format version written now, and the newest this Vigil reads. */
    public static final int VERSION = 1;

    public ScrubReport {
        version = Math.max(version, 1);
    }
}
