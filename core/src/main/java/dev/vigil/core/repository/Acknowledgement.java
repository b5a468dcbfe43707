package dev.vigil.core.repository;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import java.util.SortedMap;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An operator's explanation of a finding ({@code vigil ack}), kept in the repository beside the evidence so that every
 * report, built on any machine, shows it: who acknowledged it, when, and why (say, "LSNs 301..400 were lost with node
 * b's disk on 2026-11-30, incident 4411"). An acknowledgement does not make a problem go away: it applies to the
 * finding as opened up to {@code at}, and reports still show the facts (a gap stays a gap); it keeps an explained
 * finding from counting as an open one. Acknowledgements are history: a second one of the same finding is stored
 * beside the first, never over it. {@code by} is a claim (the operating-system user and host the command ran as, or
 * what {@code --by} said), not a proof of identity, unless the acknowledgement is signed: then the operator's key
 * ({@code vigil ack --sign-key}) signed {@link #signedText() every field}, and a report built where that key is
 * trusted ({@code audit.operator-keys}) counts only acknowledgements whose signature it verifies.
 *
 * @param version   the document's format version
 * @param findingId the finding's id as reports and {@code vigil status} print it ({@code F-} and 10 hex digits)
 * @param partition the partition it concerns, or {@code null} for a repository-wide finding
 * @param by        who acknowledged it (the operating-system user and host the command ran as, or {@code --by})
 * @param at        when
 * @param reason    the explanation, as given
 * @param signature the signature lines of a C2SP signed note whose text is {@link #signedText()} (an Ed25519
 *                  signature by the operator's key, named), or {@code null} when unsigned
 */
public record Acknowledgement(
        int version,
        String findingId,
        @Nullable PartitionId partition,
        String by,
        Instant at,
        String reason,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String signature)
        implements VersionedDocument {

    /** The first line of the text an acknowledgement's signature signs. */
    public static final String SIGNED_FORMAT = "vigil-acknowledgement/1";

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

    /** An unsigned acknowledgement. */
    public Acknowledgement(
            int version, String findingId, @Nullable PartitionId partition, String by, Instant at, String reason) {
        this(version, findingId, partition, by, at, reason, null);
    }

    /** This acknowledgement with {@code signature} (the signature lines of a note over {@link #signedText()}). */
    public Acknowledgement signed(String signature) {
        return new Acknowledgement(version, findingId, partition, by, at, reason, signature);
    }

    /**
     * The text its signature signs: every field but the signature, one per line, the reason as a JSON string (so a
     * reason of several lines stays one line). The same for the same fields on every machine and in every version.
     */
    public String signedText() {
        return signedText(findingId, partition == null ? null : partition.value(), by, at, reason);
    }

    /** {@link #signedText()} from the fields as a report prints them (an auditor's tool rebuilds it so). */
    public static String signedText(
            String findingId, @Nullable String partition, String by, Instant at, String reason) {
        try {
            return SIGNED_FORMAT + "\n" + "finding " + findingId + "\n" + "partition "
                    + (partition == null ? "-" : partition) + "\n" + "by "
                    + RepositoryJson.MAPPER.writeValueAsString(by)
                    + "\n" + "at " + at + "\n" + "reason " + RepositoryJson.MAPPER.writeValueAsString(reason) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a string always serialises", e);
        }
    }

    /** The key it is stored under ({@link #store}). */
    public String key() throws IOException {
        return key(RepositoryJson.PRETTY.writeValueAsBytes(this));
    }

    private String key(byte[] body) {
        String tag = HexFormat.of()
                .formatHex(Checksum.of(ChecksumAlgorithm.SHA256, body).value(), 0, 4);
        return RepositoryLayout.ackKey(Optional.ofNullable(partition), findingId, at, tag);
    }

    /**
     * Stores it as an object of its own, only if absent (an earlier acknowledgement of the same finding stays: the
     * trail is history), and returns its key.
     */
    String store(ObjectStore store) throws IOException {
        byte[] body = RepositoryJson.PRETTY.writeValueAsBytes(this);
        String key = key(body);
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
        byKey(store, unreadable)
                .values()
                .forEach(a -> byId.computeIfAbsent(a.findingId(), id -> new ArrayList<>())
                        .add(a));
        byId.values().forEach(list -> list.sort(Comparator.comparing(Acknowledgement::at)));
        return byId;
    }

    /** Every acknowledgement by its key, in key order; a damaged or too-new one is noted and skipped. */
    static SortedMap<String, Acknowledgement> byKey(ObjectStore store, UnreadableDocuments unreadable)
            throws IOException {
        SortedMap<String, Acknowledgement> byKey = new TreeMap<>();
        for (String key : JsonDocuments.keys(store, RepositoryLayout.ACKS)) {
            JsonDocuments.readOrNote(store, key, Acknowledgement.class, unreadable)
                    .ifPresent(a -> byKey.put(key, a));
        }
        return byKey;
    }
}
