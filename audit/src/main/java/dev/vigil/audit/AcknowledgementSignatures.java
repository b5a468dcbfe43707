package dev.vigil.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.core.repository.Acknowledgement;
import dev.vigil.core.repository.AcknowledgementCheck;
import dev.vigil.core.repository.RepositoryJson;
import dev.vigil.tlog.NoteKeys;
import dev.vigil.tlog.SignedNote;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Operators' signatures on acknowledgements: {@link #sign} signs every field of one with an operator's key (a C2SP
 * signed note over {@link Acknowledgement#signedText()}, Ed25519), and as an {@link AcknowledgementCheck} it counts only
 * acknowledgements signed by one of the trusted operator keys: an unsigned one is a claim anyone with write access to
 * the bucket could have made, one signed by an unknown key or whose fields changed after signing is refused, each
 * naming the signer. Immutable, thread safe.
 */
public final class AcknowledgementSignatures implements AcknowledgementCheck {

    private final List<NoteKeys.Verifier> operators;

    /** {@code operators}: the operator keys whose acknowledgements count (not empty). */
    public AcknowledgementSignatures(List<NoteKeys.Verifier> operators) {
        if (operators.isEmpty()) {
            throw new IllegalArgumentException("checking acknowledgements needs at least one operator key");
        }
        this.operators = List.copyOf(operators);
    }

    /** {@code acknowledgement} signed by {@code operator}. */
    public static Acknowledgement sign(Acknowledgement acknowledgement, NoteKeys.Signer operator) {
        String text = acknowledgement.signedText();
        String note = SignedNote.sign(text, List.of(operator));
        return acknowledgement.signed(note.substring(text.length() + 1));
    }

    @Override
    public Outcome check(Acknowledgement acknowledgement) {
        return check(
                acknowledgement.signedText(),
                acknowledgement.signature(),
                AcknowledgementCheck.signer(acknowledgement).orElse(null));
    }

    /**
     * One acknowledgement a report counts, checked offline from the report's JSON alone.
     *
     * @param finding the finding it explains
     * @param by      who it says made it
     * @param outcome what its signature proves
     */
    public record InReport(String finding, String by, Outcome outcome) {}

    /**
     * Every acknowledgement in a compliance report's JSON ({@code repositoryFindings} and each partition's
     * {@code findings}), each checked from the fields the report prints: what an auditor runs offline, with the
     * operators' public keys and no repository.
     *
     * @throws IOException when {@code reportJson} is not a report's JSON
     */
    public List<InReport> inReport(byte[] reportJson) throws IOException {
        JsonNode report = RepositoryJson.MAPPER.readTree(reportJson);
        if (report == null || !report.path("partitions").isArray()) {
            throw new IOException("not a compliance report's JSON (no partitions)");
        }
        List<InReport> checked = new ArrayList<>();
        for (JsonNode finding : report.path("repositoryFindings")) {
            checkFinding(finding, null, checked);
        }
        for (JsonNode partition : report.path("partitions")) {
            for (JsonNode finding : partition.path("findings")) {
                checkFinding(finding, partition.path("partition").asText(), checked);
            }
        }
        return checked;
    }

    private void checkFinding(JsonNode finding, @Nullable String partition, List<InReport> checked) throws IOException {
        String id = finding.path("id").asText();
        for (JsonNode ack : finding.path("acknowledgements")) {
            String by = ack.path("by").asText();
            Instant at;
            try {
                at = RepositoryJson.MAPPER.treeToValue(ack.path("at"), Instant.class);
            } catch (JsonProcessingException e) {
                throw new IOException("acknowledgement of " + id + " by " + by + ": its time is not one", e);
            }
            if (at == null) {
                throw new IOException("acknowledgement of " + id + " by " + by + ": no time");
            }
            JsonNode signature = ack.path("signature");
            String lines = signature.isObject() ? signature.path("lines").asText() : null;
            String key = signature.isObject() ? signature.path("key").asText() : null;
            String text = Acknowledgement.signedText(
                    id, partition, by, at, ack.path("reason").asText());
            checked.add(new InReport(id, by, check(text, lines, key)));
        }
    }

    private Outcome check(String text, @Nullable String signature, @Nullable String signer) {
        if (signature == null) {
            return Outcome.refused(
                    null,
                    "unsigned: only an acknowledgement signed by a trusted operator key (audit.operator-keys)"
                            + " counts; sign it with vigil ack --sign-key");
        }
        try {
            SignedNote.open(text + "\n" + signature, operators);
            return Outcome.counted(signer, true);
        } catch (SignedNote.RejectedNoteException e) {
            return switch (e.reason()) {
                case UNTRUSTED -> Outcome.refused(signer, "signed by " + signer + ", not by a trusted operator key");
                case FORGED ->
                    Outcome.forged(
                            signer,
                            "its signature by " + signer + " does not verify: a field was changed after it was signed,"
                                    + " or the signature was forged");
                case MALFORMED -> Outcome.forged(signer, "its signature is malformed (" + e.getMessage() + ")");
            };
        }
    }
}
