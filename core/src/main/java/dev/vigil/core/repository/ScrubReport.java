package dev.vigil.core.repository;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * What a scrub of one replica found, as published to the repository next to the binary digest
 * ({@code partitions/<pid>/scrub/<lsn>/<replica>.json}). {@code checkpoint} is where the scanned state is kept
 * on {@code host} until it is judged or its TTL passes, so a drill-down can list keys of that exact state.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScrubReport(
        int version,
        String partition,
        String replica,
        long appliedLsn,
        Map<String, Object> digest,
        long items,
        long bytes,
        long durationMillis,
        String startedAt,
        String host,
        String checkpoint)
        implements VersionedDocument {

    /** The format version written now, and the newest this Vigil reads. */
    public static final int VERSION = 1;

    public ScrubReport {
        version = Math.max(version, 1);
        digest = Map.copyOf(digest);
    }
}
