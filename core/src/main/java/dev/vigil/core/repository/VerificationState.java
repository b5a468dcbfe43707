package dev.vigil.core.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which archived objects of a partition were verified, when, and as what (size and checksum): kept in the
 * repository itself ({@code partitions/<pid>/verify/state.json}), so that verification resumes where it
 * stopped, on any machine. A missing or damaged state means everything is due. Compliance reports read it
 * too: when each object was last proven intact, and the timestamp of its first record (for the archive lag).
 * Not thread safe.
 */
public final class VerificationState {

    private static final Logger LOG = LoggerFactory.getLogger(VerificationState.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One verified object: what it was when it was read back in full and found intact.
     *
     * @param firstTimestamp  the segment's first record timestamp (epoch millis); {@code null} in states written
     *                        before it was recorded
     * @param firstArchivedAt when an object under this key was first seen stored (its last-modified time at its
     *                        first verification), kept when a damaged object is replaced: the time its records
     *                        first became safe. {@code null} in older states
     */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(long size, String checksum, String verifiedAt, Long firstTimestamp, String firstArchivedAt) {
        public Instant verified() {
            return Instant.parse(verifiedAt);
        }
    }

    private final PartitionId partition;
    private final Map<String, Entry> entries;

    private VerificationState(PartitionId partition, Map<String, Entry> entries) {
        this.partition = partition;
        this.entries = entries;
    }

    public static VerificationState load(ObjectStore store, PartitionId partition) throws IOException {
        String key = RepositoryLayout.verifyStateKey(partition);
        try (ObjectStream in = store.get(key)) {
            Map<String, Entry> entries = JSON.readValue(in.readAllBytes(), new TypeReference<TreeMap<String, Entry>>() { });
            return new VerificationState(partition, entries);
        } catch (ObjectNotFoundException e) {
            return new VerificationState(partition, new TreeMap<>());
        } catch (IOException e) {
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException
                    || e instanceof dev.vigil.core.store.ObjectCorruptException) {
                LOG.warn("{}: verification state unreadable ({}); every object of the partition is due", key, e.getMessage());
                return new VerificationState(partition, new TreeMap<>());
            }
            throw e;
        }
    }

    /** When {@code key} was last verified as an object of this size and checksum, if ever. */
    public java.util.Optional<Instant> verifiedAt(String key, long size) {
        Entry entry = entries.get(key);
        return entry != null && entry.size() == size ? java.util.Optional.of(entry.verified()) : java.util.Optional.empty();
    }

    /** The entry of {@code key}, if it was ever verified. */
    public java.util.Optional<Entry> entry(String key) {
        return java.util.Optional.ofNullable(entries.get(key));
    }

    /**
     * Records that {@code key}, stored at {@code storedAt}, was read back intact at {@code at}; its first record was
     * written at {@code firstTimestamp}.
     */
    public void verified(String key, long size, Checksum checksum, Instant at, long firstTimestamp, Instant storedAt) {
        Instant firstArchived = java.util.Optional.ofNullable(entries.get(key)).map(Entry::firstArchivedAt).map(Instant::parse)
                .filter(earlier -> earlier.isBefore(storedAt)).orElse(storedAt);
        entries.put(key, new Entry(size, checksum.toString(), at.toString(), firstTimestamp, firstArchived.toString()));
    }

    /** Drops entries of objects no longer in the repository (expired by retention). */
    public void retainOnly(java.util.Set<String> keys) {
        entries.keySet().retainAll(keys);
    }

    public void save(ObjectStore store) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(entries);
        store.put(PutRequest.overwrite(RepositoryLayout.verifyStateKey(partition), ObjectBody.ofBytes(bytes),
                Checksum.of(ChecksumAlgorithm.CRC32C, bytes), Map.of()));
    }
}
