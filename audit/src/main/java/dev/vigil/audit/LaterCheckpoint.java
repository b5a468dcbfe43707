package dev.vigil.audit;

import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.core.store.ObjectStore;
import java.io.IOException;
import java.util.Base64;
import java.util.List;

/**
 * A later checkpoint of the log, with the proof that it extends the checkpoint a report was sealed at
 * ({@code vigil audit prove}): handed to an auditor with the report, it shows offline that nothing the report cites
 * was rewritten or removed from the log since (RFC 6962 consistency proof).
 *
 * @param format     {@value #FORMAT}
 * @param from       the size of the earlier checkpoint (the seal's)
 * @param checkpoint the later checkpoint, signed (C2SP note)
 * @param proof      the consistency proof from {@code from} to the later size, base64
 */
public record LaterCheckpoint(String format, long from, String checkpoint, List<String> proof) {

    public static final String FORMAT = "vigil-consistency/1";

    public LaterCheckpoint {
        proof = List.copyOf(proof);
    }

    /**
     * Signs a checkpoint of the log now (stored like any other) and proves that it extends the tree of the first
     * {@code from} entries.
     *
     * @throws IOException when the log cannot be read, has a gap, or is shorter than {@code from} (named)
     */
    public static byte[] prove(ObjectStore store, Checkpointer checkpointer, long from) throws IOException {
        LogSnapshot log = LogSnapshot.read(store);
        if (from > log.size()) {
            throw new IOException("the log holds " + log.size() + " entries, fewer than the " + from + " of the"
                    + " checkpoint to extend: entries were removed (run vigil audit)");
        }
        Checkpointer.Signed later = checkpointer.signed(log);
        List<String> proof = log.consistencyProof(from).stream()
                .map(Base64.getEncoder()::encodeToString)
                .toList();
        return RepositoryJson.PRETTY.writeValueAsBytes(new LaterCheckpoint(FORMAT, from, later.note(), proof));
    }

    /** The seal's checkpoint size, from a seal document (what {@link #prove} extends). */
    public static long sealedSize(byte[] seal) throws IOException {
        SealDocument document = SealDocument.decode(seal);
        String[] lines = document.checkpoint().split("\n", -1);
        if (lines.length < 2) {
            throw new IOException("not a sealed report's seal: its checkpoint has no size");
        }
        try {
            return Long.parseLong(lines[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not a sealed report's seal: its checkpoint's size is '" + lines[1] + "'", e);
        }
    }

    static LaterCheckpoint decode(byte[] bytes) throws IOException {
        try {
            return RepositoryJson.MAPPER.readValue(bytes, LaterCheckpoint.class);
        } catch (RuntimeException incomplete) {
            // A field missing (a null where a list or text belongs): not one, as surely as malformed JSON.
            throw new IOException("incomplete: " + incomplete.getMessage(), incomplete);
        }
    }
}
