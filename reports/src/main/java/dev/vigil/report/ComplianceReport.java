package dev.vigil.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.alert.Severity;
import dev.vigil.core.repository.Verdict;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A compliance report: what the repository proves about every partition over a period, and whether that meets
 * the requirements. The JSON form is this record as is; the HTML and Parquet forms are rendered from it.
 * Immutable.
 *
 * @param id           {@code compliance-<yyyymmddThhmmssZ>}, unique per creation time
 * @param generatedAt  when it was built (ISO-8601); the period ends here
 * @param periodStart  the start of the period it covers
 * @param repository   the repository it describes
 * @param vigilVersion the version of Vigil that built it
 * @param checks       one line per requirement: whether it passed everywhere, and where it did not
 * @param compliant    every requirement met by every partition and the repository
 * @param reasons      one line per unmet requirement, naming the partition, replica or object; empty when compliant
 * @param repositoryReasons the reasons that concern no single partition (drills, Object Lock, the repository)
 * @param encryption   how the objects stored in the period are held (absent from reports written before Vigil
 *                     encrypted)
 */
public record ComplianceReport(
        String id,
        Instant generatedAt,
        Instant periodStart,
        String repository,
        String vigilVersion,
        ReportRequirements requirements,
        List<RequirementCheck> checks,
        boolean compliant,
        List<String> reasons,
        List<String> repositoryReasons,
        Totals totals,
        ObjectLock objectLock,
        List<Finding> repositoryFindings,
        List<PartitionCompliance> partitions,
        List<UnreadableDocument> unreadableDocuments,
        @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Encryption encryption) {

    public ComplianceReport {
        checks = List.copyOf(checks);
        reasons = List.copyOf(reasons);
        repositoryReasons = List.copyOf(repositoryReasons);
        repositoryFindings = List.copyOf(repositoryFindings);
        partitions = List.copyOf(partitions);
        unreadableDocuments = List.copyOf(unreadableDocuments);
    }

    /**
     * A document in the repository this report could not read (damaged, or in a newer format than this Vigil reads):
     * the report was built from everything else, and fails {@code EVIDENCE_READABLE} naming it.
     */
    public record UnreadableDocument(String key, String reason) {}

    /**
     * One requirement's outcome over the whole report: PASS only when no partition and nothing repository-wide fails it.
     *
     * @param requirement the {@link Requirement}'s name
     * @param description what it requires, in words
     * @param setting     the configuration setting that sets it, or {@code null}
     * @param value       the configured value, in words
     * @param passed      met everywhere
     * @param failures    the reasons it failed, each naming the partition, replica or object
     */
    public record RequirementCheck(
            String requirement,
            String description,
            @Nullable String setting,
            @Nullable String value,
            boolean passed,
            List<String> failures) {

        public RequirementCheck {
            failures = List.copyOf(failures);
        }
    }

    /** Counts over the whole repository. */
    public record Totals(
            int partitions,
            int partitionsCompliant,
            int partitionsFullyVerified,
            double shareFullyVerified,
            int replicas,
            int replicasVerifiedWithinMaxAge,
            int replicasVerifiedClean,
            int findingsOpened,
            int findingsResolved,
            int findingsAcknowledged,
            int findingsOpen,
            int drillsPassed,
            int drillsFailed,
            @Nullable Instant lastPassedDrill) {}

    /**
     * How the repository holds the objects stored in the period, as each object's stored form says (its writer's key id
     * in its metadata); {@code vigil keys check} proves that each one opens, {@code vigil verify archive} that each is
     * intact.
     *
     * @param required      whether {@code encryption} is configured, so every object must be encrypted
     * @param objects       objects stored in the period
     * @param encrypted     how many of them are encrypted
     * @param byKey         encrypted objects per key id
     * @param plain         how many are in plaintext
     * @param plainExamples up to {@value EncryptionCheck#EXAMPLES} of the plaintext ones, by key
     */
    public record Encryption(
            boolean required,
            long objects,
            long encrypted,
            Map<String, Long> byKey,
            long plain,
            List<String> plainExamples) {

        public Encryption {
            byKey = Collections.unmodifiableMap(new TreeMap<>(byKey)); // by key id, as printed
            plainExamples = List.copyOf(plainExamples);
        }
    }

    /** Whether the bucket keeps archived objects under S3 Object Lock, and whether that was required. */
    public record ObjectLock(boolean available, boolean enabled, String description, boolean required) {}

    /** One partition's evidence and verdict; {@code lastDrill} is its newest drill ever, {@code drills} those of the period. */
    public record PartitionCompliance(
            PartitionId partition,
            boolean compliant,
            List<String> reasons,
            List<String> failedRequirements,
            Coverage coverage,
            Lag lag,
            List<ReplicaVerification> replicas,
            boolean fullyVerified,
            List<Finding> findings,
            List<Drill> drills,
            Optional<Drill> lastDrill,
            Restorable restorable,
            Optional<Long> lastSnapshotLsn) {

        public PartitionCompliance {
            reasons = List.copyOf(reasons);
            failedRequirements = List.copyOf(failedRequirements);
            replicas = List.copyOf(replicas);
            findings = List.copyOf(findings);
            drills = List.copyOf(drills);
        }
    }

    /**
     * Which LSNs the archive holds: contiguous ranges and the gaps between them.
     *
     * @param lastStoredAt when the newest archived segment was stored; {@code null} when nothing is archived
     */
    public record Coverage(
            long firstLsn,
            long lastLsn,
            List<Range> ranges,
            List<Range> gaps,
            int segments,
            long bytes,
            @Nullable Instant lastStoredAt) {

        public Coverage {
            ranges = List.copyOf(ranges);
            gaps = List.copyOf(gaps);
        }
    }

    /** An inclusive LSN range. */
    public record Range(long first, long last) {}

    /**
     * Archive lag over the period: for each segment archived in it, how long its oldest record waited from being
     * written to being safe in the repository (the object's store time minus the segment's first record time).
     *
     * @param segments how many segments were archived in the period
     * @param measured how many of them had a known first-record time
     * @param storedAgain how many were stored again after a repair: they count with their first store time
     * @param points   (archived at, lag) of each measured segment, at most {@link LagStatistics#MAX_POINTS}
     *                 (the worst of each time slice beyond that), for the chart
     */
    public record Lag(
            int segments,
            int measured,
            int storedAgain,
            double maxSeconds,
            double p99Seconds,
            double p50Seconds,
            List<LagPoint> points) {

        public Lag {
            points = List.copyOf(points);
        }
    }

    /** One segment's lag: when it was archived and how long its oldest record had waited. */
    public record LagPoint(Instant archivedAt, double lagSeconds) {}

    /**
     * A replica's verification freshness: its last scrub, its latest verdict, its last clean verdict and how old that is
     * at the report's time, and how many unacknowledged findings about it are open.
     */
    public record ReplicaVerification(
            ReplicaId replica,
            long lastScrubLsn,
            Verdict.@Nullable Status lastVerdictStatus,
            @Nullable Long lastVerdictLsn,
            @Nullable Instant lastVerdictAt,
            @Nullable Instant lastCleanAt,
            @Nullable Long lastCleanLsn,
            @Nullable Long secondsSinceVerified,
            boolean withinMaxAge,
            int verdictsInPeriod,
            int cleanInPeriod,
            int openFindings,
            int acknowledgedFindings,
            List<AlertType> openFindingTypes) {

        public ReplicaVerification {
            openFindingTypes = List.copyOf(openFindingTypes);
        }

        /**
         * Verified clean: its latest verdict is clean and fresh enough, and nothing about it is open, acknowledged or
         * not (an acknowledged bit rot is still bit rot). What the "replicas verified clean" figure counts.
         */
        public boolean healthy() {
            return withinMaxAge
                    && lastVerdictStatus == Verdict.Status.CLEAN
                    && openFindings == 0
                    && acknowledgedFindings == 0;
        }
    }

    /**
     * A problem raised in the period (from the alerts the repository recorded), and whether later evidence
     * resolved it.
     *
     * @param id          its stable id ({@code F-} and 10 hex digits), for {@code vigil ack}
     * @param replica     the replica it concerns, or {@code null} when it concerns none in particular
     * @param subject     what it concerns, in words: a replica, an object key, an LSN range
     * @param occurrences how many alerts raised it (a divergence confirmed by every scrub until it is repaired)
     * @param resolvedAt when the evidence that resolved it appeared; {@code null} while open
     * @param resolution what that evidence was, or why it is still open
     * @param acknowledgements operators' explanations ({@code vigil ack}), oldest first; empty when none
     */
    public record Finding(
            String id,
            AlertType type,
            Severity severity,
            @Nullable ReplicaId replica,
            String subject,
            Instant openedAt,
            int occurrences,
            @Nullable Instant resolvedAt,
            String resolution,
            String message,
            List<Acknowledged> acknowledgements) {

        public Finding {
            acknowledgements = List.copyOf(acknowledgements);
        }

        /** Not resolved by later evidence. */
        public boolean open() {
            return resolvedAt == null;
        }

        /** Open and not explained by an operator: what fails the "no open findings" requirement. */
        public boolean blocking() {
            return open() && acknowledgements.isEmpty();
        }

        /** Open, and explained by an operator: shown as acknowledged and counted as such, never as OK. */
        public boolean acknowledgedOpen() {
            return open() && !acknowledgements.isEmpty();
        }

        Finding acknowledged(List<Acknowledged> acks) {
            return new Finding(
                    id, type, severity, replica, subject, openedAt, occurrences, resolvedAt, resolution, message, acks);
        }
    }

    /**
     * Who acknowledged a finding, when, and why; every acknowledgement of a finding is kept, oldest first. {@code by}
     * is a claim (the user and host the command ran as, or {@code --by}), not a proof of identity, unless it is
     * signed: then {@code signature} says by which operator key, and whether this report verified it.
     */
    public record Acknowledged(
            String by,
            Instant at,
            String reason,

            @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable
            Signature signature) {

        /** An unsigned acknowledgement. */
        public Acknowledged(String by, Instant at, String reason) {
            this(by, at, reason, null);
        }
    }

    /**
     * An acknowledgement's signature as the report carries it, so that an auditor checks it offline ({@code vigil
     * audit verify --operator-key}).
     *
     * @param key      the signing key ({@code name+hash}) its signature line names
     * @param lines    the signature lines of the C2SP signed note over the acknowledgement's fields
     * @param verified whether this report verified it with a trusted operator key ({@code audit.operator-keys});
     *                 false where no operator key is configured
     */
    public record Signature(String key, String lines, boolean verified) {}

    /** A restore drill of the period. */
    public record Drill(
            Instant time,
            long lsn,
            boolean passed,
            long durationMillis,
            @Nullable String error) {}

    /**
     * The point-in-time window that is restorable now, against the one the retention policy promises.
     *
     * @param oldestTime   the earliest time a restore can reach ({@code null}: from the partition's first record)
     * @param requiredFrom now minus {@code retention.window}
     * @param meetsPolicy  every point from {@code requiredFrom} (or the first record, if later) to the newest
     *                     archived LSN is restorable
     */
    public record Restorable(
            @Nullable Long oldestLsn,
            @Nullable Long newestLsn,
            @Nullable Instant oldestTime,
            Instant requiredFrom,
            boolean meetsPolicy,
            String explanation) {}
}
