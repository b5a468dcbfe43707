package dev.vigil.audit;

import dev.vigil.core.repository.RepositoryJson;
import java.io.IOException;
import java.util.List;

/**
 * A report's seal as stored beside it ({@code <id>.seal.json}): the signed seal note (the report's forms by SHA-256 and
 * the checkpoint they were sealed at), the signed checkpoint itself, and each piece of evidence the report cites with
 * its log entry and the entry's inclusion proof in that checkpoint's tree. Everything needed to check it offline.
 *
 * @param format     {@value #FORMAT}
 * @param report     the report's id
 * @param seal       the seal note (C2SP signed note)
 * @param checkpoint the checkpoint note (C2SP signed note, tlog-checkpoint body)
 * @param evidence   the entries proven, in log order
 */
public record SealDocument(String format, String report, String seal, String checkpoint, List<Evidence> evidence) {

    public static final String FORMAT = "vigil-report-seal/1";

    public SealDocument {
        evidence = List.copyOf(evidence);
    }

    /**
     * One entry of the log and the proof that it is in the checkpoint's tree.
     *
     * @param index the entry's number (its leaf index)
     * @param key   the object the entry names (for the reader; the entry's own is what counts)
     * @param entry the entry as stored, base64
     * @param proof the inclusion proof's hashes, base64, leaf to root
     */
    public record Evidence(long index, String key, String entry, List<String> proof) {
        public Evidence {
            proof = List.copyOf(proof);
        }
    }

    byte[] encode() throws IOException {
        return RepositoryJson.PRETTY.writeValueAsBytes(this);
    }

    static SealDocument decode(byte[] bytes) throws IOException {
        try {
            return RepositoryJson.MAPPER.readValue(bytes, SealDocument.class);
        } catch (RuntimeException incomplete) {
            // A field missing (a null where a list or text belongs): not one, as surely as malformed JSON.
            throw new IOException("incomplete: " + incomplete.getMessage(), incomplete);
        }
    }
}
