package dev.vigil.core.repository;

import dev.vigil.core.Errors;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.digest.Digest;
import dev.vigil.core.sketch.DifferenceSketch;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectNotFoundException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.ObjectSummary;
import dev.vigil.core.store.PreconditionFailedException;
import dev.vigil.core.store.PutRequest;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The repository as Vigil's modules see each other's work: every document read, written and listed by type, with the
 * keys of {@link RepositoryLayout} and the one JSON configuration of {@link RepositoryJson} kept inside. The feature
 * modules (archiver, scrubber, reference builder, restore, reports) share what they know only through this class;
 * the WAL segments themselves are read through the {@link ObjectStore} and {@link ArchivedRanges}.
 *
 * <p>Every method reads or writes the store at the moment it is called (nothing is cached), and every failure is a
 * checked {@link IOException} naming the key. Documents listed but gone when read (retention, a put in progress on
 * some S3-compatible servers) are skipped; damaged ones, and ones in a format newer than this Vigil reads, are errors.
 * Thread safe when the store is.
 */
public final class Repository {

    private static final String JSON = "json";
    private static final String DIGEST = "digest";
    private static final String SKETCH = "sketch";

    private final ObjectStore store;

    public Repository(ObjectStore store) {
        this.store = store;
    }

    /** The object store underneath, for the archive's segments. */
    public ObjectStore store() {
        return store;
    }

    // ---- partitions

    /** Every partition with at least one archived segment, in order. */
    public NavigableSet<PartitionId> partitionsWithArchive() throws IOException {
        return RepositoryPartitions.withArchive(store);
    }

    /** Every partition with at least one scrub report object, in order. */
    public NavigableSet<PartitionId> partitionsWithScrubReports() throws IOException {
        return RepositoryPartitions.withScrubReports(store);
    }

    /** Every partition with an archived segment or a scrub report (one walk of the keys). */
    public NavigableSet<PartitionId> partitionsWithArchiveOrScrubReports() throws IOException {
        return RepositoryPartitions.withArchiveOrScrubReports(store);
    }

    /** The partition's archived segments (and stray keys that are not segments), in LSN order. */
    public ArchivedRanges.Listing archive(PartitionId partition) throws IOException {
        return ArchivedRanges.list(store, partition);
    }

    // ---- scrub reports

    /** Publishes a scrub report without a difference sketch. */
    public void publishScrubReport(ScrubReport report, Digest digest) throws IOException {
        publishScrubReport(report, digest, Optional.empty());
    }

    /**
     * Publishes a scrub report: the binary digest and the difference sketch first, then the JSON summary, so that a
     * report is complete (and will be judged) only once everything is stored. Replaces an earlier report of the same
     * replica at the same LSN.
     */
    public void publishScrubReport(ScrubReport report, Digest digest, Optional<DifferenceSketch> sketch)
            throws IOException {
        PartitionId partition = report.partition();
        ReplicaId replica = report.replica();
        byte[] binary = digest.encode();
        store.put(PutRequest.overwrite(
                RepositoryLayout.scrubKey(partition, report.appliedLsn(), replica, DIGEST),
                ObjectBody.ofBytes(binary),
                Checksum.of(ChecksumAlgorithm.CRC32C, binary),
                Map.of("root", digest.rootHex())));
        if (sketch.isPresent()) {
            byte[] encoded = sketch.get().encode();
            store.put(PutRequest.overwrite(
                    RepositoryLayout.scrubKey(partition, report.appliedLsn(), replica, SKETCH),
                    ObjectBody.ofBytes(encoded),
                    Checksum.of(ChecksumAlgorithm.CRC32C, encoded),
                    Map.of()));
        }
        write(RepositoryLayout.scrubKey(partition, report.appliedLsn(), replica, JSON), report, false, Map.of());
    }

    /** The partition's scrub reports as listed (one listing, nothing read), in LSN then replica order. */
    public List<PublishedScrub> scrubReports(PartitionId partition) throws IOException {
        return scrubReportsUnder(RepositoryLayout.scrubPrefix(partition));
    }

    /** The partition's scrub reports at exactly {@code lsn}, as listed. */
    public List<PublishedScrub> scrubReportsAt(PartitionId partition, long lsn) throws IOException {
        return scrubReportsUnder(RepositoryLayout.scrubPrefix(partition, lsn));
    }

    private List<PublishedScrub> scrubReportsUnder(String prefix) throws IOException {
        Map<ReportAt, Set<String>> extensions = new TreeMap<>();
        Map<ReportAt, Instant> storedAt = new TreeMap<>();
        store.forEach(
                prefix,
                object -> RepositoryLayout.parseScrubKey(object.key()).ifPresent(k -> {
                    ReportAt at = new ReportAt(k.lsn(), k.replica());
                    extensions.computeIfAbsent(at, x -> new HashSet<>()).add(k.extension());
                    storedAt.merge(at, object.lastModified(), (a, b) -> a.isAfter(b) ? a : b);
                }));
        List<PublishedScrub> reports = new ArrayList<>();
        extensions.forEach((at, stored) -> reports.add(new PublishedScrub(
                at, stored.containsAll(Set.of(JSON, DIGEST)), Objects.requireNonNull(storedAt.get(at)))));
        return reports;
    }

    /**
     * Reads a complete scrub report: its summary and its digest (whose CRC is checked).
     *
     * @throws IOException when either is missing, unreadable or damaged, naming the key
     */
    public ScrubEvidence readScrubReport(PartitionId partition, ReportAt at) throws IOException {
        String summaryKey = RepositoryLayout.scrubKey(partition, at.lsn(), at.replica(), JSON);
        ScrubReport report = JsonDocuments.read(store, summaryKey, ScrubReport.class)
                .orElseThrow(() -> new IOException("scrub report " + summaryKey + " in " + store.describe()
                        + " disappeared while it was being read (retention?); run the command again"));
        return new ScrubEvidence(report, readScrubDigest(partition, at));
    }

    /**
     * Reads the difference sketch of a scrub report, checking its CRC. A report without one (published by an older
     * Vigil, or with {@code scrub.sketch-capacity: 0}) is absent; a damaged one is reported, not thrown, because the
     * report is still judged by its digest: only its keys cannot be named from the sketch.
     */
    public SketchRead readScrubSketch(PartitionId partition, ReportAt at) throws IOException {
        String key = RepositoryLayout.scrubKey(partition, at.lsn(), at.replica(), SKETCH);
        byte[] bytes;
        try (ObjectStream in = store.get(key)) {
            bytes = in.readAllBytes();
        } catch (ObjectNotFoundException none) {
            return SketchRead.none();
        } catch (ObjectCorruptException damaged) {
            return new SketchRead(Optional.empty(), Optional.of(Errors.message(damaged)));
        }
        try {
            return new SketchRead(Optional.of(DifferenceSketch.decode(bytes, store.locate(key))), Optional.empty());
        } catch (IOException damaged) {
            return new SketchRead(Optional.empty(), Optional.of(Errors.message(damaged)));
        }
    }

    /** Reads the binary digest of a scrub report, checking its CRC. */
    public Digest readScrubDigest(PartitionId partition, ReportAt at) throws IOException {
        String key = RepositoryLayout.scrubKey(partition, at.lsn(), at.replica(), DIGEST);
        try (ObjectStream in = store.get(key)) {
            return Digest.decode(in.readAllBytes(), key);
        }
    }

    // ---- verdicts

    /** Which reports of the partition have a verdict (one listing, nothing read). */
    public Set<ReportAt> judged(PartitionId partition) throws IOException {
        Set<ReportAt> judged = new HashSet<>();
        for (String key : JsonDocuments.keys(store, RepositoryLayout.verdictsPrefix(partition))) {
            RepositoryLayout.parseVerdictKey(key).ifPresent(k -> judged.add(new ReportAt(k.lsn(), k.replica())));
        }
        return judged;
    }

    /** Every verdict of the partition, in LSN order (then replica). Reads one object per verdict. */
    public List<Verdict> verdicts(PartitionId partition) throws IOException {
        return Verdicts.all(store, partition);
    }

    /** As {@link #verdicts(PartitionId)}; a damaged or too-new verdict is noted in {@code unreadable} and skipped. */
    public List<Verdict> verdicts(PartitionId partition, UnreadableDocuments unreadable) throws IOException {
        return JsonDocuments.readAll(store, RepositoryLayout.verdictsPrefix(partition), Verdict.class, unreadable);
    }

    /** The verdicts at the highest judged LSN at or below {@code lsn}; see {@link Verdicts#newestAtOrBelow}. */
    public List<Verdict> newestVerdictsAtOrBelow(PartitionId partition, long lsn) throws IOException {
        return Verdicts.newestAtOrBelow(store, partition, lsn);
    }

    /** Reads one verdict; empty when there is none (yet, or no longer). */
    public Optional<Verdict> readVerdict(PartitionId partition, ReportAt at) throws IOException {
        return JsonDocuments.read(store, RepositoryLayout.verdictKey(partition, at.lsn(), at.replica()), Verdict.class);
    }

    /**
     * Stores a verdict only if its report has none yet (a report is judged once: when two judges race, as a fleet
     * worker taking over a dead one's task may, the first verdict stays), and returns its key; empty when a verdict
     * was there already.
     */
    public Optional<String> writeVerdict(Verdict verdict) throws IOException {
        String key = verdictKey(verdict);
        byte[] body = RepositoryJson.MAPPER.writeValueAsBytes(verdict);
        try {
            store.put(PutRequest.ifAbsent(
                    key,
                    ObjectBody.ofBytes(body),
                    Checksum.of(ChecksumAlgorithm.CRC32C, body),
                    Map.of("status", verdict.status().name())));
        } catch (PreconditionFailedException e) {
            return Optional.empty();
        }
        return Optional.of(key);
    }

    /** Where {@code verdict} is (or would be) stored. */
    public static String verdictKey(Verdict verdict) {
        return RepositoryLayout.verdictKey(verdict.partition(), verdict.lsn(), verdict.replica());
    }

    // ---- the alert outbox

    /**
     * Records that the alert of {@code verdict} is to be delivered, before the verdict is stored: if the process dies
     * between storing the verdict and delivering its alert, the next judge of the partition finds this entry
     * ({@link #pendingAlerts}) and delivers it. {@link #alertDelivered} writes its receipt beside it: nothing here is
     * deleted (a judge needs no {@code s3:DeleteObject}), and the receipts say when each verdict's alert was
     * confirmed delivered. Overwrites an entry of the same report (two judges racing on it raise the same verdict's
     * alert).
     */
    public void recordPendingAlert(Verdict verdict) throws IOException {
        PartitionId partition = verdict.partition();
        write(
                RepositoryLayout.alertOutboxKey(partition, verdict.lsn(), verdict.replica(), "json"),
                Map.of(
                        "verdict",
                        verdictKey(verdict),
                        "status",
                        verdict.status().name()),
                false,
                Map.of());
    }

    /**
     * The reports of the partition whose verdict's alert is recorded as pending and has no receipt yet, each with when
     * it was recorded (one listing, nothing read).
     */
    public Map<ReportAt, Instant> pendingAlerts(PartitionId partition) throws IOException {
        Map<ReportAt, Instant> pending = new TreeMap<>(Comparator.comparingLong(ReportAt::lsn)
                .thenComparing(at -> at.replica().value()));
        Set<ReportAt> receipts = new HashSet<>();
        store.forEach(
                RepositoryLayout.alertOutboxPrefix(partition),
                object -> RepositoryLayout.parseAlertOutboxKey(object.key()).ifPresent(k -> {
                    ReportAt at = new ReportAt(k.lsn(), k.replica());
                    if (k.extension().equals("delivered")) {
                        receipts.add(at);
                    } else if (k.extension().equals("json")) {
                        pending.put(at, object.lastModified());
                    }
                }));
        pending.keySet().removeAll(receipts);
        return pending;
    }

    /** Writes the receipt of the report's pending alert: delivered at {@code at} (or needing none). */
    public void alertDelivered(PartitionId partition, ReportAt report, Instant at) throws IOException {
        write(
                RepositoryLayout.alertOutboxKey(partition, report.lsn(), report.replica(), "delivered"),
                Map.of("deliveredAt", at.toString()),
                false,
                Map.of());
    }

    // ---- restore drills

    /** The partition's drill records, oldest first. */
    public List<DrillRecord> drills(PartitionId partition) throws IOException {
        return JsonDocuments.readAll(store, RepositoryLayout.drillsPrefix(partition), DrillRecord.class);
    }

    /** As {@link #drills(PartitionId)}; a damaged or too-new record is noted in {@code unreadable} and skipped. */
    public List<DrillRecord> drills(PartitionId partition, UnreadableDocuments unreadable) throws IOException {
        return JsonDocuments.readAll(store, RepositoryLayout.drillsPrefix(partition), DrillRecord.class, unreadable);
    }

    /** Stores a drill record under the time the drill started and returns its key. */
    public String writeDrill(DrillRecord record, Instant started) throws IOException {
        String key = RepositoryLayout.drillsPrefix(record.partition())
                + started.toString().replace(':', '-') + ".json";
        write(key, record, true, Map.of());
        return key;
    }

    // ---- acknowledgements

    /**
     * Every acknowledgement, by finding id, each finding's oldest first, read with one listing of {@code acks/}; a
     * damaged or too-new one is noted in {@code unreadable} and skipped.
     */
    public Map<String, List<Acknowledgement>> acknowledgements(UnreadableDocuments unreadable) throws IOException {
        return Acknowledgement.all(store, unreadable);
    }

    /**
     * Every acknowledgement by the key it is stored under, in key order (one listing of {@code acks/}); a damaged or
     * too-new one is noted in {@code unreadable} and skipped. For a reader that names the object it refuses.
     */
    public SortedMap<String, Acknowledgement> acknowledgementsByKey(UnreadableDocuments unreadable) throws IOException {
        return Acknowledgement.byKey(store, unreadable);
    }

    /**
     * Stores an acknowledgement as an object of its own (an earlier one of the same finding stays: acknowledgements
     * are history) and returns its key.
     */
    public String acknowledge(Acknowledgement acknowledgement) throws IOException {
        return acknowledgement.store(store);
    }

    // ---- archive verification state

    /** The partition's archive verification state; empty (everything due) when none is stored or it is unreadable. */
    public VerificationState verificationState(PartitionId partition) throws IOException {
        return VerificationState.load(store, partition);
    }

    /** Stores {@code state} if it changed since it was loaded or last saved. */
    public void save(VerificationState state) throws IOException {
        state.save(store);
    }

    // ---- snapshots

    /** Every object under the partition's snapshots, by snapshot LSN (ascending), nothing read. */
    public Map<Long, List<ObjectSummary>> snapshotObjects(PartitionId partition) throws IOException {
        return SnapshotObjects.byLsn(store, partition);
    }

    /** The committed snapshots (whose manifest is stored), by LSN, each with the time its manifest was stored. */
    public Map<Long, Instant> committedSnapshots(PartitionId partition) throws IOException {
        return SnapshotObjects.committed(store, partition);
    }

    // ----

    private void write(String key, Object document, boolean pretty, Map<String, String> metadata) throws IOException {
        byte[] body = pretty
                ? RepositoryJson.PRETTY.writeValueAsBytes(document)
                : RepositoryJson.MAPPER.writeValueAsBytes(document);
        store.put(PutRequest.overwrite(
                key, ObjectBody.ofBytes(body), Checksum.of(ChecksumAlgorithm.CRC32C, body), metadata));
    }

    @Override
    public String toString() {
        return store.describe();
    }
}
