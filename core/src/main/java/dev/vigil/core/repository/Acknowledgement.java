package dev.vigil.core.repository;

import dev.vigil.core.PartitionId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An operator's explanation of a finding ({@code vigil ack}), kept in the repository beside the evidence so that every
 * report, built on any machine, shows it: who acknowledged it, when, and why (say, "LSNs 301..400 were lost with node
 * b's disk on 2026-11-30, incident 4411"). An acknowledgement does not make a problem go away: it applies to the
 * finding as opened up to {@code at}, and reports still show the facts (a gap stays a gap); it keeps an explained
 * finding from counting as an open one. Acknowledgements are history: a second one of the same finding is stored
 * beside the first, never over it. {@code by} is a claim (the operating-system user and host the command ran as, or
 * what {@code --by} said), not a proof of identity.
 *
 * @param version   the document's format version
 * @param findingId the finding's id as reports and {@code vigil status} print it ({@code F-} and 10 hex digits)
 * @param partition the partition it concerns, or {@code null} for a repository-wide finding
 * @param by        who acknowledged it (the operating-system user and host the command ran as, or {@code --by})
 * @param at        when
 * @param reason    the explanation, as given
 */
public record Acknowledgement(
        int version, String findingId, @Nullable PartitionId partition, String by, Instant at, String reason)
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

    /**
     * Stores it as an object of its own, only if absent (an earlier acknowledgement of the same finding stays: the
     * trail is history), and returns its key.
     */
    String store(ObjectStore store) throws IOException {
        byte[] body = RepositoryJson.PRETTY.writeValueAsBytes(this);
        String tag = HexFormat.of()
                .formatHex(Checksum.of(ChecksumAlgorithm.SHA256, body).value(), 0, 4);
        String key = RepositoryLayout.ackKey(Optional.ofNullable(partition), findingId, at, tag);
        store.put(PutRequest.ifAbsent(
                key, ObjectBody.ofBytes(body), Checksum.of(ChecksumAlgorithm.CRC32C, body), Map.of()));
        return key;
    }

    /**
     * Every acknowledgement in the repository, by finding id (an id names its partition too: see {@link FindingIds}),
     * each finding's in time order (oldest first), read with one listing of {@code acks/} whatever the number of
     * partitions; acknowledgements written before they were kept as history (one per finding) are read too. A damaged
     * or too-new one is reported to {@code unreadable} and the rest are read.
     */
    static Map<String, List<Acknowledgement>> all(ObjectStore store, UnreadableDocuments unreadable)
            throws IOException {
        Map<String, List<Acknowledgement>> byId = new HashMap<>();
        JsonDocuments.readAll(store, RepositoryLayout.ACKS, Acknowledgement.class, unreadable)
                .forEach(a -> byId.computeIfAbsent(a.findingId(), id -> new ArrayList<>())
                        .add(a));
        byId.values().forEach(list -> list.sort(Comparator.comparing(Acknowledgement::at)));
        return byId;
    }
}
