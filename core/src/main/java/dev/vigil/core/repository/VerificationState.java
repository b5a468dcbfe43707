package dev.vigil.core.repository;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.core.store.UndecryptableObjectException;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
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

    /**
     * One verified object: what it was when it was read back in full and found intact.
     *
     * @param firstTimestamp  the segment's first record timestamp (epoch millis); {@code null} in states written
     *                        before it was recorded
     * @param firstArchivedAt when an object under this key was first seen stored (its last-modified time at its
     *                        first verification), kept when a damaged object is replaced: the time its records
     *                        first became safe. {@code null} in older states
     * @param version         the store's identity of the version that was read ({@link ArchivedSegment#version});
     *                        {@code null} in states written before it was recorded, which makes the object due
     * @param storedAt        the last-modified time of the version that was read; {@code null} in older states
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(
            long size,
            String checksum,
            Instant verifiedAt,
            @Nullable Long firstTimestamp,
            @Nullable Instant firstArchivedAt,
            @Nullable String version,
            @Nullable Instant storedAt) {

        /** Whether {@code segment} is the very version this entry describes (not replaced since, not even by equal bytes). */
        public boolean describes(ArchivedSegment segment) {
            return size == segment.size()
                    && segment.version().equals(version)
                    && segment.lastModified().equals(storedAt);
        }
    }

    private final PartitionId partition;
    private final Map<String, Entry> entries;
    /** False for a state this process cannot read (encrypted, no keys here): it is never overwritten from here. */
    private final boolean persisted;

    private boolean changed;

    private VerificationState(PartitionId partition, Map<String, Entry> entries) {
        this(partition, entries, true);
    }

    private VerificationState(PartitionId partition, Map<String, Entry> entries, boolean persisted) {
        this.partition = partition;
        this.entries = entries;
        this.persisted = persisted;
    }

    static VerificationState load(ObjectStore store, PartitionId partition) throws IOException {
        String key = RepositoryLayout.verifyStateKey(partition);
        try (ObjectStream in = store.get(key)) {
            Map<String, Entry> entries =
                    RepositoryJson.MAPPER.readValue(in.readAllBytes(), new TypeReference<TreeMap<String, Entry>>() {});
            return new VerificationState(partition, entries);
        } catch (ObjectNotFoundException e) {
            return new VerificationState(partition, new TreeMap<>());
        } catch (UndecryptableObjectException e) {
            LOG.info(
                    "{}: verification state not readable here ({}); every object of the partition is due, and the"
                            + " state is left as it is",
                    key,
                    e.getMessage());
            return new VerificationState(partition, new TreeMap<>(), false);
        } catch (IOException e) {
            if (e instanceof JsonProcessingException || e instanceof ObjectCorruptException) {
                LOG.warn(
                        "{}: verification state unreadable ({}); every object of the partition is due",
                        key,
                        e.getMessage());
                return new VerificationState(partition, new TreeMap<>());
            }
            throw e;
        }
    }

    /**
     * When this version of {@code segment} was last verified, if ever. An object replaced since (a different version
     * or modification time, whatever its size) was not verified: it is due at once.
     */
    public Optional<Instant> verifiedAt(ArchivedSegment segment) {
        Entry entry = entries.get(segment.key());
        return entry != null && entry.describes(segment) ? Optional.of(entry.verifiedAt()) : Optional.empty();
    }

    /** The entry of {@code key}, if it was ever verified. */
    public Optional<Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /**
     * Records that this version of {@code segment} was read back intact at {@code at}, hashing to {@code checksum}; its
     * first record was written at {@code firstTimestamp}.
     */
    public void verified(ArchivedSegment segment, Checksum checksum, Instant at, long firstTimestamp) {
        Instant storedAt = segment.lastModified();
        Instant firstArchived = Optional.ofNullable(entries.get(segment.key()))
                .map(Entry::firstArchivedAt)
                .filter(earlier -> earlier.isBefore(storedAt))
                .orElse(storedAt);
        entries.put(
                segment.key(),
                new Entry(
                        segment.size(),
                        checksum.toString(),
                        at,
                        firstTimestamp,
                        firstArchived,
                        segment.version(),
                        storedAt));
        changed = true;
    }

    /**
     * Records that {@code key} was found damaged: whatever was verified under it before is no longer what it holds, so
     * it is due at every run until a version of it is verified again. When its records first became safe is kept.
     */
    public void damaged(String key) {
        Entry entry = entries.get(key);
        if (entry != null) {
            entries.put(
                    key,
                    new Entry(
                            entry.size(),
                            entry.checksum(),
                            entry.verifiedAt(),
                            entry.firstTimestamp(),
                            entry.firstArchivedAt(),
                            null,
                            null));
            changed = true;
        }
    }

    /** Drops entries of objects no longer in the repository (expired by retention). */
    public void retainOnly(Set<String> keys) {
        changed |= entries.keySet().retainAll(keys);
    }

    /**
     * Stores the state if it changed since it was loaded or last saved (a run that verified nothing writes nothing); never
     * a state this process could not read.
     */
    void save(ObjectStore store) throws IOException {
        if (!changed || !persisted) {
            return;
        }
        byte[] bytes = RepositoryJson.MAPPER.writeValueAsBytes(entries);
        store.put(PutRequest.overwrite(
                RepositoryLayout.verifyStateKey(partition),
                ObjectBody.ofBytes(bytes),
                Checksum.of(ChecksumAlgorithm.CRC32C, bytes),
                Map.of()));
        changed = false;
    }
}
