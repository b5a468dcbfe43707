package dev.vigil.core.repository;

import dev.vigil.core.Lsn;
import dev.vigil.core.LsnRange;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.wal.SegmentFileName;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The object keys of a repository (relative to its URL's prefix), as specified in
 * {@code docs/architecture.md}. Zero-padded LSNs make listing order LSN order, so a partition's archive
 * needs no index:
 *
 * <pre>
 * partitions/&lt;pid&gt;/wal/&lt;firstLsn&gt;-&lt;lastLsn&gt;.seg   archived sealed segments, immutable
 * partitions/&lt;pid&gt;/snapshots/&lt;lsn&gt;/manifest.json     a reference snapshot, committed by its manifest
 * partitions/&lt;pid&gt;/snapshots/&lt;lsn&gt;/part-NNNNN.parquet its items, sorted by key
 * partitions/&lt;pid&gt;/drills/&lt;time&gt;.json             the outcome of a restore drill
 * alerts/&lt;yyyy-mm-dd&gt;/&lt;millis&gt;-&lt;type&gt;-&lt;hash&gt;.json  every alert raised, the audit trail reports count
 * reports/&lt;yyyy-mm-dd&gt;/&lt;id&gt;.{json,html,parquet}   compliance reports
 * </pre>
 */
public final class RepositoryLayout {

    public static final String PARTITIONS = "partitions/";

    private RepositoryLayout() {}

    /** Prefix of all archived segments of a partition. */
    public static String walPrefix(PartitionId partition) {
        return PARTITIONS + partition + "/wal/";
    }

    /** Key of a partition's archive-verification progress (which object was last verified when). */
    public static String verifyStateKey(PartitionId partition) {
        return PARTITIONS + partition + "/verify/state.json";
    }

    /** Key of a replica's scrub report at an applied LSN ({@code .json} summary or {@code .digest} binary). */
    public static String scrubKey(PartitionId partition, long lsn, ReplicaId replica, String extension) {
        return scrubPrefix(partition, lsn) + replica + "." + extension;
    }

    /** Prefix of a partition's scrub reports at one applied LSN. */
    public static String scrubPrefix(PartitionId partition, long lsn) {
        return scrubPrefix(partition) + Lsn.padded(lsn) + "/";
    }

    /** Prefix of a partition's scrub reports. */
    public static String scrubPrefix(PartitionId partition) {
        return PARTITIONS + partition + "/scrub/";
    }

    /** Prefix of a partition's verdicts. */
    public static String verdictsPrefix(PartitionId partition) {
        return PARTITIONS + partition + "/verdicts/";
    }

    /** Key of the verdict on one replica's scrub report at an LSN. */
    public static String verdictKey(PartitionId partition, long lsn, ReplicaId replica) {
        return verdictsPrefix(partition) + Lsn.padded(lsn) + "/" + replica + ".json";
    }

    /** Prefix of a partition's alert outbox: verdicts stored whose alerts are not known to be delivered yet. */
    public static String alertOutboxPrefix(PartitionId partition) {
        return PARTITIONS + partition + "/alert-outbox/";
    }

    /**
     * Key of the outbox entry ({@code json}) of the verdict on one replica's scrub report at an LSN, or of its receipt
     * ({@code delivered}).
     */
    public static String alertOutboxKey(PartitionId partition, long lsn, ReplicaId replica, String extension) {
        return alertOutboxPrefix(partition) + Lsn.padded(lsn) + "/" + replica + "." + extension;
    }

    /** Parses {@code partitions/<pid>/alert-outbox/<lsn>/<replica>.<json|delivered>}; empty for any other key. */
    public static Optional<ReportKey> parseAlertOutboxKey(String key) {
        return parseReportKey(key, "alert-outbox");
    }

    /** What a scrub or verdict key names: partition, LSN, replica and extension. */
    public record ReportKey(PartitionId partition, long lsn, ReplicaId replica, String extension) {}

    /** Parses {@code partitions/<pid>/scrub/<lsn>/<replica>.<ext>}; empty for any other key. */
    public static Optional<ReportKey> parseScrubKey(String key) {
        return parseReportKey(key, "scrub");
    }

    /** Parses {@code partitions/<pid>/verdicts/<lsn>/<replica>.json}; empty for any other key. */
    public static Optional<ReportKey> parseVerdictKey(String key) {
        return parseReportKey(key, "verdicts");
    }

    private static Optional<ReportKey> parseReportKey(String key, String kind) {
        String[] parts = key.split("/", -1);
        if (parts.length != 5
                || !PARTITIONS.equals(parts[0] + "/")
                || !parts[2].equals(kind)
                || !PartitionId.isValid(parts[1])) {
            return Optional.empty();
        }
        int dot = parts[4].lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ReportKey(
                    PartitionId.of(parts[1]),
                    Lsn.parsePadded(parts[3]),
                    ReplicaId.of(parts[4].substring(0, dot)),
                    parts[4].substring(dot + 1)));
        } catch (IllegalArgumentException notAReportKey) {
            return Optional.empty();
        }
    }

    /** Prefix of a partition's reference snapshots. */
    public static String snapshotsPrefix(PartitionId partition) {
        return PARTITIONS + partition + "/snapshots/";
    }

    /** Prefix of the snapshot of a partition at an LSN (its manifest and files). */
    public static String snapshotPrefix(PartitionId partition, long lsn) {
        return snapshotsPrefix(partition) + Lsn.padded(lsn) + "/";
    }

    /** Key of a snapshot's manifest: the snapshot exists once this object does. */
    public static String snapshotManifestKey(PartitionId partition, long lsn) {
        return snapshotPrefix(partition, lsn) + SNAPSHOT_MANIFEST;
    }

    /** File name of a snapshot's manifest. */
    public static final String SNAPSHOT_MANIFEST = "manifest.json";

    /** The LSN of the snapshot a key under {@link #snapshotsPrefix} belongs to; empty for any other key. */
    public static Optional<Long> parseSnapshotLsn(PartitionId partition, String key) {
        return parseLsnUnder(snapshotsPrefix(partition), key);
    }

    /** The LSN that names the first directory under {@code prefix} in {@code key}; empty if there is none. */
    private static Optional<Long> parseLsnUnder(String prefix, String key) {
        if (!key.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = key.substring(prefix.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Lsn.parsePadded(rest.substring(0, slash)));
        } catch (IllegalArgumentException notASnapshotKey) {
            return Optional.empty();
        }
    }

    /** Prefix of a partition's hash-state checkpoints: the judge's hash-only reference at an LSN. */
    public static String hashStatesPrefix(PartitionId partition) {
        return PARTITIONS + partition + "/reference/";
    }

    /** Prefix of the hash-state checkpoint of a partition at an LSN (its hashes and manifest). */
    public static String hashStatePrefix(PartitionId partition, long lsn) {
        return hashStatesPrefix(partition) + Lsn.padded(lsn) + "/";
    }

    /** The LSN of the hash-state checkpoint a key under {@link #hashStatesPrefix} belongs to; empty for any other. */
    public static Optional<Long> parseHashStateLsn(PartitionId partition, String key) {
        return parseLsnUnder(hashStatesPrefix(partition), key);
    }

    /** Prefix of a partition's restore drill records. */
    public static String drillsPrefix(PartitionId partition) {
        return PARTITIONS + partition + "/drills/";
    }

    /**
     * Whether a key is what a restore or an audit depends on, and so is written under S3 Object Lock when
     * {@code retention.object-lock} is on: archived segments, snapshots (files and manifest), reports, and the
     * tamper-evident log (entries and signed checkpoints).
     */
    public static boolean lockable(String key) {
        return parseWalKey(key).isPresent()
                || (key.startsWith(PARTITIONS) && key.contains("/snapshots/"))
                || (key.startsWith(REPORTS) && !key.endsWith(".claim"))
                || key.startsWith(LOG); // the tamper-evident log's entries and signed checkpoints
    }

    /** Prefix of operators' acknowledgements of findings. */
    public static final String ACKS = "acks/";

    private static final DateTimeFormatter ACK_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    /**
     * Key of one acknowledgement of finding {@code findingId}: {@code acks/<partition>/<id>/<time>-<tag>.json}, or
     * under {@code acks/repository/} for a finding of no single partition. Every acknowledgement is an object of its
     * own, written only if absent: a later one never replaces an earlier one (the trail keeps both, in time order).
     * {@code tag} tells apart two made in the same millisecond.
     */
    public static String ackKey(Optional<PartitionId> partition, String findingId, Instant at, String tag) {
        return ACKS + partition.map(PartitionId::value).orElse(REPOSITORY_ACKS) + "/" + findingId + "/"
                + ACK_TIME.format(at) + "-" + tag + ".json";
    }

    /**
     * Key of the single acknowledgement of a finding as Vigil wrote it before acknowledgements were history
     * ({@code acks/<partition>/<id>.json}); still read, never written.
     */
    public static String legacyAckKey(Optional<PartitionId> partition, String findingId) {
        return ACKS + partition.map(PartitionId::value).orElse(REPOSITORY_ACKS) + "/" + findingId + ".json";
    }

    /** The directory of acknowledgements of repository-wide findings (not a valid partition name: it has no digit). */
    public static final String REPOSITORY_ACKS = "repository";

    /** Prefix of the compliance reports. */
    public static final String REPORTS = "reports/";

    /**
     * The tamper-evident log's entries and checkpoints (written beneath encryption, in plaintext: object keys, sizes,
     * hashes and signatures, no customer data).
     */
    public static final String LOG = "log/";

    /** Prefix of the alerts recorded in the repository. */
    public static final String ALERTS = "alerts/";

    /** Key of a compliance report file: {@code reports/<yyyy-mm-dd>/<id>.<extension>} (the date in UTC). */
    public static String reportKey(Instant created, String id, String extension) {
        return REPORTS + utcDate(created) + "/" + id + "." + extension;
    }

    /** Prefix of the alerts recorded on one day (UTC). */
    public static String alertsPrefix(LocalDate day) {
        return ALERTS + day + "/";
    }

    /**
     * Key of a recorded alert: {@code alerts/<yyyy-mm-dd>/<epoch millis, 13 digits>-<type>-<8 hex of the alert key>.json},
     * so that listing a day lists its alerts in time order, and one alert delivered twice overwrites itself ({@code alertKey}
     * is the alert's key and whatever else tells two records apart, such as the raising host).
     */
    public static String alertKey(Instant time, String type, String alertKey) {
        return alertsPrefix(LocalDate.ofInstant(time, ZoneOffset.UTC))
                + String.format("%013d-%s-%08x.json", time.toEpochMilli(), type, alertKey.hashCode());
    }

    private static LocalDate utcDate(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** Key of an archived segment. */
    public static String walKey(PartitionId partition, LsnRange range) {
        return walPrefix(partition) + SegmentFileName.sealed(range.first(), range.last());
    }

    /** The partition and LSN range a segment key names; empty for any other key. */
    public static Optional<WalKey> parseWalKey(String key) {
        if (!key.startsWith(PARTITIONS)) {
            return Optional.empty();
        }
        String[] parts = key.substring(PARTITIONS.length()).split("/", -1);
        if (parts.length != 3 || !parts[1].equals("wal") || !PartitionId.isValid(parts[0])) {
            return Optional.empty();
        }
        return SegmentFileName.parse(parts[2])
                .filter(SegmentFileName::isSealed)
                .map(name -> new WalKey(
                        PartitionId.of(parts[0]),
                        new LsnRange(name.firstLsn(), name.lastLsn().orElseThrow())));
    }

    /** What a segment key names. */
    public record WalKey(PartitionId partition, LsnRange range) {}
}
