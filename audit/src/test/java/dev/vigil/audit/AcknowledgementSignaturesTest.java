package dev.vigil.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.core.PartitionId;
import dev.vigil.core.repository.Acknowledgement;
import dev.vigil.core.repository.AcknowledgementCheck;
import dev.vigil.tlog.NoteKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An operator's signature over every field of an acknowledgement: it counts when a trusted operator key signed it;
 * unsigned or signed by another key it does not (a claim, not evidence of tampering); changed after signing it is
 * forged. The same check runs offline on a report's JSON.
 */
class AcknowledgementSignaturesTest {

    private static final Instant AT = Instant.parse("2026-12-07T10:15:30.123456789Z");

    private final SecureRandom random = new SecureRandom();
    private final NoteKeys.Signer alice = NoteKeys.generate("alice@ops", random);
    private final AcknowledgementSignatures operators = new AcknowledgementSignatures(List.of(alice.verifier()));

    private static Acknowledgement ack(String reason) {
        return new Acknowledgement(
                Acknowledgement.VERSION, "F-0123456789", new PartitionId("p-0001"), "alice", AT, reason);
    }

    @Test
    void aSignedAcknowledgementCountsAndNamesItsKey() {
        Acknowledgement signed = AcknowledgementSignatures.sign(ack("lost with disk b,\nincident 4411"), alice);

        AcknowledgementCheck.Outcome outcome = operators.check(signed);

        assertThat(outcome.counts()).isTrue();
        assertThat(outcome.verified()).isTrue();
        assertThat(outcome.signedBy()).isEqualTo("alice@ops+" + String.format("%08x", alice.keyHash()));
        assertThat(signed.signature()).startsWith("\u2014 alice@ops ").endsWith("\n");
        assertThat(AcknowledgementCheck.UNCHECKED.check(signed).verified()).isFalse();
    }

    @Test
    void everyFieldIsSignedSoAChangedOneIsForged() {
        Acknowledgement signed = AcknowledgementSignatures.sign(ack("incident 4411"), alice);
        List<Acknowledgement> changed = List.of(
                new Acknowledgement(
                        1, "F-0123456789", new PartitionId("p-0001"), "alice", AT, "incident 1", signed.signature()),
                new Acknowledgement(
                        1, "F-0123456780", new PartitionId("p-0001"), "alice", AT, "incident 4411", signed.signature()),
                new Acknowledgement(
                        1, "F-0123456789", new PartitionId("p-0002"), "alice", AT, "incident 4411", signed.signature()),
                new Acknowledgement(1, "F-0123456789", null, "alice", AT, "incident 4411", signed.signature()),
                new Acknowledgement(
                        1, "F-0123456789", new PartitionId("p-0001"), "bob", AT, "incident 4411", signed.signature()),
                new Acknowledgement(
                        1,
                        "F-0123456789",
                        new PartitionId("p-0001"),
                        "alice",
                        AT.plusNanos(1),
                        "incident 4411",
                        signed.signature()));

        for (Acknowledgement forged : changed) {
            AcknowledgementCheck.Outcome outcome = operators.check(forged);
            assertThat(outcome.counts()).as(forged.toString()).isFalse();
            assertThat(outcome.forged()).as(forged.toString()).isTrue();
            assertThat(outcome.refusal()).contains("does not verify");
        }
    }

    @Test
    void unsignedOrSignedByAnotherKeyDoesNotCountButIsNotForged() {
        NoteKeys.Signer mallory = NoteKeys.generate("alice@ops", random); // the same name, another key

        AcknowledgementCheck.Outcome unsigned = operators.check(ack("incident 4411"));
        AcknowledgementCheck.Outcome other =
                operators.check(AcknowledgementSignatures.sign(ack("incident 4411"), mallory));

        assertThat(unsigned.counts()).isFalse();
        assertThat(unsigned.forged()).isFalse();
        assertThat(unsigned.refusal()).startsWith("unsigned");
        assertThat(other.counts()).isFalse();
        assertThat(other.forged()).isFalse();
        assertThat(other.refusal()).contains("not by a trusted operator key");
    }

    @Test
    void aReportsAcknowledgementsAreCheckedOfflineFromItsJson() throws IOException {
        Acknowledgement signed = AcknowledgementSignatures.sign(ack("incident \"4411\""), alice);
        String report = """
                {"partitions": [{"partition": "p-0001", "findings": [{"id": "F-0123456789", "acknowledgements": [
                  {"by": "alice", "at": "%s", "reason": "incident \\"4411\\"",
                   "signature": {"key": "alice@ops", "lines": %s, "verified": true}},
                  {"by": "alice", "at": "%s", "reason": "incident 1",
                   "signature": {"key": "alice@ops", "lines": %s, "verified": true}},
                  {"by": "bob", "at": "%s", "reason": "unsigned claim"}]}]}],
                 "repositoryFindings": []}
                """.formatted(AT, quoted(signed.signature()), AT, quoted(signed.signature()), AT);

        List<AcknowledgementSignatures.InReport> checked = operators.inReport(report.getBytes(StandardCharsets.UTF_8));

        assertThat(checked)
                .extracting(c ->
                        c.by() + " " + c.outcome().counts() + " " + c.outcome().forged())
                .containsExactly("alice true false", "alice false true", "bob false false");
        assertThatThrownBy(() -> operators.inReport("{\"id\": 1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not a compliance report");
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\n", "\\n") + "\"";
    }
}
