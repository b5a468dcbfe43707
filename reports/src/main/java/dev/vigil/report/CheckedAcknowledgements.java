package dev.vigil.report;

import dev.vigil.core.repository.Acknowledgement;
import dev.vigil.core.repository.AcknowledgementCheck;
import dev.vigil.core.repository.UnreadableDocuments;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.jspecify.annotations.Nullable;

/**
 * The acknowledgements a report counts: each checked ({@link AcknowledgementCheck}); one refused (unsigned where
 * signatures are required, signed by an unknown key, or altered after it was signed) does not explain its finding and
 * is named among the documents the report could not accept, with why. Stateless.
 */
final class CheckedAcknowledgements {

    private CheckedAcknowledgements() {}

    /**
     * {@code stored}: every acknowledgement by the key it is stored under; the result: those that count, by finding
     * id, each finding's oldest first.
     */
    static Map<String, List<ComplianceReport.Acknowledged>> of(
            SortedMap<String, Acknowledgement> stored, AcknowledgementCheck check, UnreadableDocuments refused) {
        Map<String, List<Acknowledgement>> counted = new HashMap<>();
        Map<Acknowledgement, AcknowledgementCheck.Outcome> outcomes = new HashMap<>();
        stored.forEach((key, ack) -> {
            AcknowledgementCheck.Outcome outcome = check.check(ack);
            if (outcome.counts()) {
                counted.computeIfAbsent(ack.findingId(), id -> new ArrayList<>())
                        .add(ack);
                outcomes.put(ack, outcome);
            } else {
                refused.add(
                        key,
                        "acknowledgement of " + ack.findingId() + " by " + ack.by() + " at " + ack.at() + " not"
                                + " counted, the finding stays open: " + outcome.refusal());
            }
        });
        Map<String, List<ComplianceReport.Acknowledged>> byFinding = new HashMap<>();
        counted.forEach((finding, acks) -> byFinding.put(
                finding,
                acks.stream()
                        .sorted(Comparator.comparing(Acknowledgement::at))
                        .map(ack -> acknowledged(ack, outcomes.get(ack)))
                        .toList()));
        return byFinding;
    }

    private static ComplianceReport.Acknowledged acknowledged(
            Acknowledgement ack, AcknowledgementCheck.@Nullable Outcome outcome) {
        String signature = ack.signature();
        ComplianceReport.Signature signed = signature == null || outcome == null
                ? null
                : new ComplianceReport.Signature(
                        outcome.signedBy() == null ? "(unreadable)" : outcome.signedBy(),
                        signature,
                        outcome.verified());
        return new ComplianceReport.Acknowledged(ack.by(), ack.at(), ack.reason(), signed);
    }
}
