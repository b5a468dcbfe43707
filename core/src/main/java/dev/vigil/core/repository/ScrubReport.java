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
        String partition,
        String replica,
        long appliedLsn,
        Map<String, Object> digest,
        long items,
        long bytes,
        long durationMillis,
        String startedAt,
        String host,
        String checkpoint) {

    public ScrubReport {
        digest = Map.copyOf(digest);
    }
}
