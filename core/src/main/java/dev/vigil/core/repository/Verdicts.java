package dev.vigil.core.repository;

import dev.vigil.core.PartitionId;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading the verdicts the judge wrote to {@code partitions/<pid>/verdicts/}. */
final class Verdicts {

    private Verdicts() {}

    /**
     * Every verdict of the partition, in LSN order (then replica). Reads one object per verdict.
     *
     * @throws IOException when the repository cannot be read, or a verdict is damaged (named)
     */
    static List<Verdict> all(ObjectStore store, PartitionId partition) throws IOException {
        return JsonDocuments.readAll(store, RepositoryLayout.verdictsPrefix(partition), Verdict.class);
    }

    /**
     * The verdicts at the highest judged LSN at or below {@code lsn}: what the judge last said about the state a
     * restore to {@code lsn} grows from. Lists the verdict keys and reads only those verdicts.
     *
     * @throws IOException when the repository cannot be read, or a verdict is damaged (named)
     */
    static List<Verdict> newestAtOrBelow(ObjectStore store, PartitionId partition, long lsn) throws IOException {
        long newest = -1;
        List<String> keys = JsonDocuments.keys(store, RepositoryLayout.verdictsPrefix(partition));
        for (String key : keys) {
            long judged = RepositoryLayout.parseVerdictKey(key)
                    .map(RepositoryLayout.ReportKey::lsn)
                    .orElse(-1L);
            if (judged <= lsn && judged > newest) {
                newest = judged;
            }
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (String key : keys) {
            Optional<RepositoryLayout.ReportKey> parsed = RepositoryLayout.parseVerdictKey(key);
            if (parsed.isPresent() && parsed.get().lsn() == newest) {
                JsonDocuments.read(store, key, Verdict.class).ifPresent(verdicts::add);
            }
        }
        return verdicts;
    }
}
