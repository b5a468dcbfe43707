package dev.vigil.core.repository;

import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An operator's explanation of a finding ({@code vigil ack}), kept in the repository beside the evidence so that every
 * report, built on any machine, shows it: who acknowledged it, when, and why (say, "LSNs 301..400 were lost with node
 * b's disk on 2026-11-30, incident 4411"). An acknowledgement does not make a problem go away: it applies to the
 * finding as opened up to {@code at}, and reports still show the facts (a gap stays a gap); it keeps an explained
 * finding from counting as an open one.
 *
 * @param version   the document's format version
 * @param findingId the finding's id as reports and {@code vigil status} print it ({@code F-} and 10 hex digits)
 * @param partition the partition it concerns, or {@code null} for a repository-wide finding
 * @param by        who acknowledged it (the operating-system user and host the command ran as, or {@code --by})
 * @param at        when (ISO-8601)
 * @param reason    the explanation, as given
 */
public record Acknowledgement(
        int version, String findingId, @Nullable String partition, String by, String at, String reason)
        implements VersionedDocument {

    /** The format version written now, and the newest this Vigil reads. */
    public static final int VERSION = 1;

    public Acknowledgement {
        version = Math.max(version, 1);
        if (findingId == null || !FindingIds.isValid(findingId)) {
            throw new IllegalArgumentException("not a finding id: '" + findingId + "' (ids look like F-0123456789)");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an acknowledgement needs a reason");
        }
    }

    /** Stores it (replacing an earlier acknowledgement of the same finding) and returns its key. */
    String store(ObjectStore store) throws IOException {
        String key = RepositoryLayout.ackKey(Optional.ofNullable(partition).map(PartitionId::of), findingId);
        byte[] body = RepositoryJson.PRETTY.writeValueAsBytes(this);
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(body), Checksum.of(ChecksumAlgorithm.CRC32C, body), Map.of()));
        return key;
    }

    /**
     * Every acknowledgement in the repository, by finding id (an id names its partition too: see {@link FindingIds}),
     * read with one listing of {@code acks/} whatever the number of partitions.
     */
    static Map<String, Acknowledgement> all(ObjectStore store) throws IOException {
        Map<String, Acknowledgement> byId = new HashMap<>();
        JsonDocuments.readAll(store, RepositoryLayout.ACKS, Acknowledgement.class)
                .forEach(a -> byId.put(a.findingId(), a));
        return byId;
    }
}
