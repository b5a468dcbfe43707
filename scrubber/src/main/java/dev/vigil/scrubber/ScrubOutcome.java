package dev.vigil.scrubber;

import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.repository.ScrubReport;
import java.util.Optional;

/** The result of scrubbing one replica: a published report, or what stopped it. */
public record ScrubOutcome(
        PartitionId partition,
        ReplicaId replica,
        Optional<ScrubReport> report,
        Optional<String> finding,
        Optional<String> error) {

    static ScrubOutcome published(ScrubReport report) {
        return new ScrubOutcome(
                report.partition(), report.replica(), Optional.of(report), Optional.empty(), Optional.empty());
    }

    static ScrubOutcome bitRot(LocalReplica replica, String finding) {
        return new ScrubOutcome(
                replica.partition(), replica.replica(), Optional.empty(), Optional.of(finding), Optional.empty());
    }

    static ScrubOutcome failed(LocalReplica replica, String error) {
        return new ScrubOutcome(
                replica.partition(), replica.replica(), Optional.empty(), Optional.empty(), Optional.of(error));
    }
}
