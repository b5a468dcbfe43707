package dev.vigil.archiver;

import dev.vigil.core.repository.ArchivedRanges;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * A partition's work in one pass, as {@link ArchivePlanner} decided it.
 *
 * @param local          the node's WAL directory as read at the start of the pass
 * @param listing        the repository's archive of the partition (empty when not listed, or the listing failed)
 * @param listingFailure why the repository could not be listed; nothing is decided from a listing we do not have
 * @param listed         false when the repository was not consulted (an idle partition, or one backing off)
 * @param archivedLsn    what {@code archived.lsn} said at the start of the pass
 * @param archivedKeys   the keys of {@code listing}
 * @param toShip         the segments to ship or compare, in LSN order
 * @param futures        their uploads, as submitted (a segment without one was not attempted)
 * @param backingOff     present when the partition was not attempted because it failed recently
 */
record PartitionWork(
        LocalWal local,
        ArchivedRanges.Listing listing,
        Optional<IOException> listingFailure,
        boolean listed,
        OptionalLong archivedLsn,
        Set<String> archivedKeys,
        List<LocalSegment> toShip,
        Map<LocalSegment, Future<ShipResult>> futures,
        Optional<PartitionBackoff.RetryState> backingOff) {

    /** Work decided from the repository's listing (or its failure). */
    static PartitionWork listed(
            LocalWal local,
            ArchivedRanges.Listing listing,
            Optional<IOException> listingFailure,
            OptionalLong archivedLsn,
            Set<String> archivedKeys,
            List<LocalSegment> toShip) {
        return new PartitionWork(
                local,
                listing,
                listingFailure,
                true,
                archivedLsn,
                archivedKeys,
                toShip,
                new LinkedHashMap<>(),
                Optional.empty());
    }

    /** Work decided without consulting the repository: an idle partition, or one backing off. */
    static PartitionWork unlisted(
            LocalWal local,
            OptionalLong archivedLsn,
            List<LocalSegment> toShip,
            Optional<PartitionBackoff.RetryState> backingOff) {
        return new PartitionWork(
                local,
                new ArchivedRanges.Listing(List.of(), List.of()),
                Optional.empty(),
                false,
                archivedLsn,
                Set.of(),
                toShip,
                new LinkedHashMap<>(),
                backingOff);
    }

    /** Whether uploads may be submitted: the repository was listed and the partition is not backing off. */
    boolean shippable() {
        return listingFailure.isEmpty() && backingOff.isEmpty();
    }
}
