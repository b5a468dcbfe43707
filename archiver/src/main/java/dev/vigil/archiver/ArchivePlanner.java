package dev.vigil.archiver;

import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.node.ArchivedLsnFile;
import dev.vigil.core.repository.ArchivedRanges;
import dev.vigil.core.repository.Continuity;
import dev.vigil.core.repository.Repository;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a partition's work in a pass: which sealed segments to ship or compare, from the node's WAL directory,
 * {@code archived.lsn}, the segments confirmed earlier in this process, and (when there is something new, or the
 * continuity check is due) the repository's listing, which also reveals holes this node can fill. An idle partition
 * costs no request. Thread safe.
 */
final class ArchivePlanner {

    private static final Logger LOG = LoggerFactory.getLogger(ArchivePlanner.class);

    private final Repository repository;
    private final ArchiveConfig settings;
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private final Map<PartitionId, Instant> lastContinuityCheck = new ConcurrentHashMap<>();

    ArchivePlanner(Repository repository, ArchiveConfig settings) {
        this.repository = repository;
        this.settings = settings;
    }

    /**
     * A node-side failure throws; a repository failure is kept in the work, so the partition is still reported (its
     * pending segments are its lag) without deciding anything from a listing we do not have.
     */
    PartitionWork plan(LocalPartition partition, Instant now) throws IOException {
        LocalWal local = LocalWal.read(partition.walDir());
        OptionalLong archivedLsn = ArchivedLsnFile.read(partition.walDir());
        List<LocalSegment> toShip = new ArrayList<>();
        for (LocalSegment segment : local.sealed()) {
            if (archivedLsn.isPresent() && segment.range().last() <= archivedLsn.getAsLong()) {
                continue;
            }
            if (!confirmed.contains(confirmationKey(partition, segment))) {
                toShip.add(segment);
            }
        }
        Instant lastCheck = lastContinuityCheck.getOrDefault(partition.partition(), Instant.MIN);
        boolean checkDue = lastCheck.equals(Instant.MIN)
                || Duration.between(lastCheck, now).compareTo(settings.continuityCheckInterval()) >= 0;
        if (toShip.isEmpty() && !checkDue) {
            // Nothing new on the node and the archive was checked recently: an idle pass costs no request.
            return PartitionWork.unlisted(local, archivedLsn, toShip, Optional.empty());
        }
        ArchivedRanges.Listing listing;
        try {
            listing = repository.archive(partition.partition());
            lastContinuityCheck.put(partition.partition(), now);
        } catch (IOException e) {
            return PartitionWork.listed(
                    local,
                    new ArchivedRanges.Listing(List.of(), List.of()),
                    Optional.of(e),
                    archivedLsn,
                    Set.of(),
                    toShip);
        }
        Set<String> archivedKeys = new HashSet<>();
        listing.segments().forEach(s -> archivedKeys.add(s.key()));
        // A hole in the archive that this node can fill (an object was lost or deleted after it was archived, for
        // example a damaged one removed as ARCHIVE_CORRUPT advises) is filled, whatever archived.lsn says.
        List<LsnRange> coverage = Continuity.coverage(listing.segments());
        Set<LocalSegment> planned = new HashSet<>(toShip);
        for (LocalSegment segment : local.sealed()) {
            if (!Continuity.covers(coverage, segment.range()) && planned.add(segment)) {
                LOG.info(
                        "partition {}: LSNs {} are missing from the archive; shipping {} again",
                        partition.partition(),
                        segment.range(),
                        segment.path().getFileName());
                toShip.add(segment);
            }
        }
        toShip.sort(Comparator.comparing(LocalSegment::range));
        return PartitionWork.listed(local, listing, Optional.empty(), archivedLsn, archivedKeys, toShip);
    }

    /** Whether the partition's archive is due to be listed for the continuity check. */
    boolean continuityDue(PartitionId partition, Instant now) {
        Instant lastCheck = lastContinuityCheck.getOrDefault(partition, Instant.MIN);
        return lastCheck.equals(Instant.MIN)
                || Duration.between(lastCheck, now).compareTo(settings.continuityCheckInterval()) >= 0;
    }

    /** A partition backing off after failures: its pending segments from the node's side only, nothing shipped. */
    PartitionWork waiting(LocalPartition partition, PartitionBackoff.RetryState retry) throws IOException {
        LocalWal local = LocalWal.read(partition.walDir());
        OptionalLong archivedLsn = ArchivedLsnFile.read(partition.walDir());
        List<LocalSegment> pending = new ArrayList<>();
        for (LocalSegment segment : local.sealed()) {
            if (archivedLsn.isEmpty() || segment.range().last() > archivedLsn.getAsLong()) {
                pending.add(segment);
            }
        }
        return PartitionWork.unlisted(local, archivedLsn, pending, Optional.of(retry));
    }

    /** The segment is in the repository as this node has it: later passes need not look at it again. */
    void confirm(LocalPartition partition, LocalSegment segment) {
        confirmed.add(confirmationKey(partition, segment));
    }

    private static String confirmationKey(LocalPartition partition, LocalSegment segment) {
        return partition.partition() + "/" + segment.range() + "/" + segment.size();
    }
}
