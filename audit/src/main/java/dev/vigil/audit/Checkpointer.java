package dev.vigil.audit;

import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import dev.vigil.tlog.Checkpoint;
import dev.vigil.tlog.NoteKeys;
import dev.vigil.tlog.SignedNote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signs the log's checkpoint at its current size ({@code log/checkpoints/<size>}, a C2SP signed note, "only if absent":
 * of two checkpointers at the same size one writes it), and copies it to a witness where one is configured. The tree is recomputed from the stored entries, which must
 * be numbered without a gap. Thread safe if the store is.
 */
public final class Checkpointer {

    private final ObjectStore store;
    private final NoteKeys.Signer signer;
    private final String origin;
    private final Clock clock;
    private final Optional<LeafCache> cache;
    private final Optional<ObjectStore> witness;

    /** {@code origin}: the log's name in its checkpoints (e.g. the repository's URL or id). Reads the whole log. */
    public Checkpointer(ObjectStore store, NoteKeys.Signer signer, String origin, Clock clock) {
        this(store, signer, origin, clock, Optional.empty());
    }

    /** As above; with a {@code cache} of the leaves, each checkpoint reads only the entries appended since the last. */
    public Checkpointer(
            ObjectStore store, NoteKeys.Signer signer, String origin, Clock clock, Optional<LeafCache> cache) {
        this(store, signer, origin, clock, cache, Optional.empty());
    }

    /**
     * As above; with a {@code witness} (a second location, {@code audit.witness}), every checkpoint is also stored there,
     * under the same key, so that a checkpoint deleted from the repository, or a log rewritten and signed checkpoints
     * removed with it, is still caught by an audit that reads the witness.
     */
    public Checkpointer(
            ObjectStore store,
            NoteKeys.Signer signer,
            String origin,
            Clock clock,
            Optional<LeafCache> cache,
            Optional<ObjectStore> witness) {
        this.store = store;
        this.signer = signer;
        this.origin = origin;
        this.clock = clock;
        this.cache = cache;
        this.witness = witness;
    }

    /**
     * The checkpoint of the log as it is now, stored unless one of that size exists already.
     *
     * @throws IOException when the entries cannot be read, or are not numbered 0, 1, 2, … (named)
     */
    public Checkpoint checkpoint() throws IOException {
        return signed(cache.isPresent() ? LogSnapshot.read(store, cache.get()) : LogSnapshot.read(store))
                .checkpoint();
    }

    /** A checkpoint and its note as stored. */
    record Signed(Checkpoint checkpoint, String note) {}

    /**
     * The checkpoint of {@code log}, stored unless one of that size exists already, and copied to the witness.
     *
     * @throws IOException when it cannot be stored, or not copied to the witness (named: the checkpoint is then in
     *                     the repository but not witnessed; the next checkpoint copies again)
     */
    Signed signed(LogSnapshot log) throws IOException {
        Checkpoint checkpoint = new Checkpoint(origin, log.size(), log.root(), List.of("time " + clock.instant()));
        String text = SignedNote.sign(checkpoint.body(), List.of(signer));
        byte[] note = text.getBytes(StandardCharsets.UTF_8);
        String key = LogLayout.checkpointKey(checkpoint.size());
        storeOnce(store, key, note);
        if (witness.isPresent()) {
            try {
                storeOnce(witness.get(), key, note);
            } catch (IOException e) {
                throw new IOException(
                        "the checkpoint at " + checkpoint.size() + " entries is signed and stored in "
                                + store.describe() + " but could not be copied to the witness "
                                + witness.get().describe()
                                + ": " + e.getMessage(),
                        e);
            }
        }
        return new Signed(checkpoint, text);
    }

    private static void storeOnce(ObjectStore target, String key, byte[] note) throws IOException {
        try {
            target.put(PutRequest.ifAbsent(
                    key, ObjectBody.ofBytes(note), Checksum.of(ChecksumAlgorithm.SHA256, note), Map.of()));
        } catch (PreconditionFailedException alreadySigned) {
            // Another checkpointer signed this size first; the audit compares both with the log.
        }
    }
}
