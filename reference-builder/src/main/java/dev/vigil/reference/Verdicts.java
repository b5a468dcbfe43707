package dev.vigil.reference;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
        for (Verdict verdict : all(store, partition)) {
            latest.merge(verdict.replica(), verdict, (a, b) -> b.lsn() >= a.lsn() ? b : a);
        }
        return latest;
    }

    /**
     * Reads one verdict.
     *
     * @throws IOException when it cannot be read or is damaged (named)
     */
    public static Verdict read(ObjectStore store, String key) throws IOException {
        try (ObjectStream in = store.get(key)) {
            return JSON.readValue(in.readAllBytes(), Verdict.class);
        } catch (IOException e) {
            throw new IOException("verdict " + key + " is unreadable or damaged: " + e.getMessage(), e);
        }
    }

    /**
     * Every verdict of the partition, in LSN order (then replica). Reads one object per verdict.
     *
     * @throws IOException when the repository cannot be read, or a verdict is damaged (named)
     */
    public static List<Verdict> all(ObjectStore store, PartitionId partition) throws IOException {
        List<Verdict> verdicts = new ArrayList<>();
        try {
            for (Iterator<ObjectSummary> it = store.listAll(RepositoryLayout.verdictsPrefix(partition)); it.hasNext(); ) {
                String key = it.next().key();
                if (!key.endsWith(".json")) {
                    continue; // not a verdict (some S3-compatible servers list uploads in progress under a temporary name)
                }
                try {
                    verdicts.add(read(store, key));
                } catch (IOException e) {
                    if (!(e.getCause() instanceof ObjectNotFoundException)) {
                        throw e;
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return verdicts;
    }
}
