package dev.vigil.reference;

import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.JsonDocuments;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.util.List;

/** Reading the verdicts the judge wrote to {@code partitions/<pid>/verdicts/}. */
public final class Verdicts {

    private Verdicts() {
    }

    /**
     * Every verdict of the partition, in LSN order (then replica). Reads one object per verdict.
     *
     * @throws IOException when the repository cannot be read, or a verdict is damaged (named)
     */
    public static List<Verdict> all(ObjectStore store, PartitionId partition) throws IOException {
        return JsonDocuments.readAll(store, RepositoryLayout.verdictsPrefix(partition), Verdict.class);
    }
}
