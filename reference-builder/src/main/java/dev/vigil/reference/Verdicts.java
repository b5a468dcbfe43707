package dev.vigil.reference;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/** Reading the verdicts the judge wrote to {@code partitions/<pid>/verdicts/}. */
public final class Verdicts {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Verdicts() {
    }

    /** Each replica's verdict at its highest judged LSN, by replica id. */
    public static Map<String, Verdict> latestPerReplica(ObjectStore store, PartitionId partition) throws IOException {
        Map<String, Verdict> latest = new TreeMap<>();
        try {
            for (Iterator<ObjectSummary> it = store.listAll(RepositoryLayout.verdictsPrefix(partition)); it.hasNext(); ) {
                String key = it.next().key();
                Verdict verdict;
                try (ObjectStream in = store.get(key)) {
                    verdict = JSON.readValue(in.readAllBytes(), Verdict.class);
                } catch (IOException e) {
                    throw new IOException("verdict " + key + " is unreadable or damaged: " + e.getMessage(), e);
                }
                latest.merge(verdict.replica(), verdict, (a, b) -> b.lsn() >= a.lsn() ? b : a);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return latest;
    }
}
