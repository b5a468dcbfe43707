package dev.vigil.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a restore produced.
 *
 * @param partition      the partition
 * @param target         what was asked for
 * @param lsn            the LSN the restored state reflects
 * @param items          number of items written
 * @param digestRoot     the digest root of what was written (read back from the output)
 * @param verified       the written state's digest equals the reference digest at {@code lsn}, and nothing the
 *                       replicas reported contradicts the archive at that LSN (or the operator accepted the archive)
 * @param checks         each comparison made, in words ("replay digest at LSN 1200: match", ...)
 * @param contradictions what contradicts the archive's state at {@code lsn}: verdicts and scrub reports, named
 * @param snapshotLsn    the snapshot the restore started from, if any
 * @param replayedBytes  archived WAL bytes replayed after the snapshot
 * @param output         where the result is: the target directory when verified, else where the unverified
 *                       output was left for inspection
 * @param format         the output format
 * @param elapsed        wall time
 */
public record RestoreResult(
        String partition,
        String target,
        long lsn,
        long items,
        String digestRoot,
        boolean verified,
        List<String> checks,
        List<String> contradictions,
        Optional<Long> snapshotLsn,
        long replayedBytes,
        Path output,
        RestoreFormat format,
        Duration elapsed) {

    public RestoreResult {
        checks = List.copyOf(checks);
        contradictions = List.copyOf(contradictions);
    }
}
