package dev.vigil.core.repository;

import dev.vigil.core.PartitionId;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Lists a partition's archived segments. Zero-padded keys list in LSN order, so no index is needed. */
public final class ArchivedRanges {

    private ArchivedRanges() {}

    /** Archived segments of a partition, by LSN range; keys under the prefix that are not segment names are returned separately. */
    static Listing list(ObjectStore store, PartitionId partition) throws IOException {
        List<ArchivedSegment> segments = new ArrayList<>();
        List<String> strays = new ArrayList<>();
        store.forEach(RepositoryLayout.walPrefix(partition), object -> {
            Optional<RepositoryLayout.WalKey> named = RepositoryLayout.parseWalKey(object.key());
            if (named.isPresent() && named.get().partition().equals(partition)) {
                segments.add(new ArchivedSegment(
                        object.key(), named.get().range(), object.size(), object.lastModified(), object.version()));
            } else {
                strays.add(object.key());
            }
        });
        segments.sort(Comparator.comparing(ArchivedSegment::range));
        return new Listing(segments, strays);
    }

    public record Listing(List<ArchivedSegment> segments, List<String> strays) {}
}
