package dev.vigil.demoapp;

import dev.vigil.cli.ExitCodes;
import dev.vigil.cli.VigilServices;
import dev.vigil.cli.config.ConfigException;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.Urls;
import dev.vigil.core.alert.AlertType;
import dev.vigil.core.checksum.Checksum;
import dev.vigil.core.checksum.ChecksumAlgorithm;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.ArchivedSegment;
import dev.vigil.core.repository.Repository;
import dev.vigil.core.repository.Verdict;
import dev.vigil.core.store.ObjectBody;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStream;
import dev.vigil.core.store.PutRequest;
import dev.vigil.demo.node.ReplicationGroup;
import dev.vigil.report.ComplianceReport;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.ReportService;
import dev.vigil.restore.RestoreFormat;
import dev.vigil.restore.RestoreProgress;
import dev.vigil.restore.RestoreRequest;
import dev.vigil.restore.RestoreResult;
import dev.vigil.restore.RestoreTarget;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.quartz.SchedulerException;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/**
 * The demo's script, on embedded defaults: three simulated storage nodes (real RocksDB databases writing real WAL)
 * keep one partition under continuous writes, and a real Vigil daemon runs beside each, on an accelerated Quartz
 * schedule, against a repository in a temporary directory. The script then plants a lost write in one replica,
 * damage in the archive and bit rot in another replica, shows the alerts and verdicts as the daemons produce them,
 * restores the partition to a point in time before the faults and proves the result, and writes a compliance
 * report. Every step says in plain words what is happening. Exit 0 only if Vigil found everything it was shown.
 */
final class Demo {

    static final String PARTITION = "demo-0001";
    private static final int RECORDS_PER_SEGMENT = 1_000;
    static final int BATCH = 100;
    static final Duration STEP_TIMEOUT = Duration.ofSeconds(45);

    private final PrintWriter out;
    private final Path directory;
    private final Clock clock;
    private final long seed;
    private final boolean withFleet;

    /** {@code withFleet}: the verification fleet (a PostgreSQL and two workers) does the central work. */
    Demo(PrintWriter out, Path directory, Clock clock, long seed, boolean withFleet) {
        this.out = out;
        this.directory = directory;
        this.clock = clock;
        this.seed = seed;
        this.withFleet = withFleet;
    }

    /** Runs the demo against a repository described by {@code repositoryBlock} (YAML under {@code repository:}). */
    int run(String repositoryBlock, String repositoryName, boolean repositoryOutlivesDemo)
            throws IOException, ConfigException, SchedulerException {
        Instant started = clock.instant();
        out.println("Vigil demo: keep a replicated partition honest, from its write-ahead log to its data at rest.");
        out.println("Files of this run: " + directory);
        DemoKeys keys = DemoKeys.create(directory.resolve("keys"), clock);
        DemoAudit audit = DemoAudit.create(directory.resolve("keys"), directory.resolve("witness"));
        String encryption = keys.section() + audit.section();
        out.println();
        try (ReplicationGroup group = ReplicationGroup.builder(directory.resolve("nodes"), clock)
                        .partition(PARTITION)
                        .replicas("node-a", "node-b", "node-c")
                        .recordsPerSegment(RECORDS_PER_SEGMENT)
                        .keySpace(50_000_000)
                        .seed(seed)
                        .clock(clock)
                        .build();
                DemoWorkload workload = new DemoWorkload(group, BATCH, clock)) {
            workload.start();
            out.println("1. Three storage nodes (node-a, node-b, node-c) replicate partition " + PARTITION
                    + ": each logs every"
                    + " mutation to its own WAL (Vigil's segment format) and applies it to its own RocksDB database.");
            out.printf(
                    "   They take about %,d writes per second and seal a WAL segment every %,d records or %d s.%n",
                    BATCH * 1000 / DemoWorkload.TICK.toMillis(),
                    RECORDS_PER_SEGMENT,
                    DemoWorkload.SEAL_EVERY.toSeconds());
            if (!withFleet) {
                try (DemoNodes nodes =
                        DemoNodes.start(directory, group.replicas(), repositoryBlock, encryption, clock)) {
                    out.println(
                            "   A Vigil daemon runs beside each node with its jobs sped up for the demo: archive every"
                                    + " second, verify the archive every 5 s, scrub every 10 s, judge every 5 s, restore drill"
                                    + " every 20 s.");
                    out.println("   Repository: " + repositoryName + ". Configuration of each daemon: "
                            + directory.resolve("config"));
                    out.println(keys.describe());
                    return script(nodes, null, workload, audit, started, repositoryOutlivesDemo);
                }
            }
            try (DemoFleet fleet = DemoFleet.startDatabase(directory);
                    DemoNodes nodes = DemoNodes.start(
                            directory, group.replicas(), repositoryBlock, fleet.section("") + encryption, clock)) {
                fleet.startWorkers(directory, repositoryBlock, encryption, clock);
                out.println(
                        "   A Vigil node agent runs beside each node, sped up for the demo: it archives every second"
                                + " and scrubs every 10 s, and leaves the central work to the verification fleet.");
                out.println("   The fleet: two workers (" + String.join(", ", DemoFleet.WORKERS)
                        + ") share a PostgreSQL"
                        + " database (embedded, " + Urls.forDisplay(fleet.jdbcUrl())
                        + ") and the repository. Between them they replay"
                        + " the archive into a reference once per partition and judge all three replicas' reports"
                        + " (every 2 s), and verify the archive (every 5 s) and run restore drills (every 20 s) once"
                        + " for the whole fleet.");
                out.println("   Repository: " + repositoryName + ". Configuration of each agent and worker: "
                        + directory.resolve("config"));
                out.println(keys.describe());
                return script(nodes, fleet, workload, audit, started, repositoryOutlivesDemo);
            }
        }
    }

    private int script(
            DemoNodes nodes,
            @Nullable DemoFleet fleet,
            DemoWorkload workload,
            DemoAudit audit,
            Instant started,
            boolean repositoryOutlivesDemo)
            throws IOException, ConfigException {
        VigilServices vigil = nodes.services("node-a");
        ObjectStore repository = vigil.store();
        PartitionId partition = PartitionId.of(PARTITION);
        DemoWatch watch = new DemoWatch(repository, partition, out, clock, DemoFleet.WORKERS);

        out.println("   Waiting for the first verdicts: each replica checkpointed and digested, then judged against a"
                + " reference replica " + (fleet == null ? "the judge replays" : "a worker replays") + " from the"
                + " archive ...");
        boolean allClean = watch.until(
                w -> List.of("node-a", "node-b", "node-c").stream()
                        .allMatch(r -> w.hasVerdict(r, Verdict.Status.CLEAN, 1)),
                STEP_TIMEOUT,
                workload);
        Instant restorePoint = clock.instant();
        out.println(
                allClean
                        ? "   All three replicas equal the archive. The time now, " + restorePoint + ", is where step 5"
                                + " will restore to."
                        : "   NOT SEEN: a clean verdict for every replica within " + STEP_TIMEOUT.toSeconds() + " s.");
        out.println();

        long lost = DemoFaults.plantLostWrite(workload, watch);
        out.printf(
                "2. A lost write: node-b's database silently dropped the write of LSN %,d (its WAL still logs it), as a"
                        + " storage engine bug or a lost page would.%n",
                lost);
        out.println("   Waiting for node-b's next scrub and judgement ...");
        boolean lostWriteNamed = watch.until(w -> DemoFaults.lostKeyNamed(w, lost, workload), STEP_TIMEOUT, workload);
        out.println(
                lostWriteNamed
                        ? String.format(
                                "   Found: the judge names node-b and the key %s that LSN %,d wrote,"
                                        + " missing on node-b; node-a and node-c still agree with the archive.",
                                new String(workload.record(lost).key(), StandardCharsets.UTF_8), lost)
                        : String.format("   NOT SEEN: a verdict naming the key of LSN %,d on node-b.", lost));
        out.println();

        boolean archiveRepaired = damageArchive(repository, partition, watch, workload);
        out.println();

        long lastLsn = workload.stop();
        Path sst = DemoFaults.bitRot(workload.replica("node-c"));
        out.printf(
                "4. Bit rot in a replica: the nodes stop taking writes (last LSN %,d); then bits of %s in node-c's"
                        + " database are flipped on disk, as a failing disk would.%n",
                lastLsn, sst.getFileName());
        out.println("   Waiting for node-c's next scrub ...");
        boolean bitRotFound =
                watch.until(w -> w.hasAlert(AlertType.REPLICA_BIT_ROT, ReplicaId.of("node-c")), STEP_TIMEOUT, workload);
        out.println(
                bitRotFound
                        ? "   Found: node-c's storage failed its own checksums while Vigil read it; only node-c is"
                                + " blamed."
                        : "   NOT SEEN: bit rot on node-c.");
        out.println();

        boolean restored = restore(vigil, partition, restorePoint, workload);
        out.println();

        ComplianceReport report = report(vigil);
        boolean reported = findingsReported(report, lostWriteNamed, bitRotFound) && DemoKeys.proven(report, out);

        out.println();
        boolean audited = audit.run(
                out, nodes.configs().getFirst(), directory.resolve("reports/" + report.id() + ".json"), clock);

        boolean fleetWorked = fleet == null || fleetWorked(fleet);

        boolean all = allClean
                && lostWriteNamed
                && archiveRepaired
                && bitRotFound
                && restored
                && reported
                && audited
                && fleetWorked;
        out.println();
        out.println(
                all
                        ? "Result: Vigil found every problem it was shown and named each one (the lost write by its key,"
                                + " the damaged archived record by object and offset, the rotten replica by its file), repaired the archive,"
                                + " restored a verified point in time, reported it all, and caught a forgery made behind"
                                + " its log's back. Exit 0."
                        : "Result: Vigil MISSED something it was shown (see NOT SEEN above). This is a bug. Exit 1.");
        out.printf(
                "The demo took %d s.%n",
                Duration.between(started, clock.instant()).toSeconds());
        out.println();
        out.println("Look around:");
        out.println(
                repositoryOutlivesDemo
                        ? "  status:       ./vigil status --config "
                                + nodes.configs().getFirst()
                        : "  status:       (the embedded S3 server stops with the demo; run the demo without --s3 to keep its"
                                + " repository)");
        out.println("  repository:   " + repository.describe());
        out.println("  report:       " + directory.resolve("reports") + " (open the .html in a browser)");
        out.println("  node files:   " + directory.resolve("nodes") + " (WAL and RocksDB of each node)");
        out.println("  alerts:       " + directory.resolve("alerts")
                + " (each daemon's JSON-lines sink), and alerts/ in the" + " repository");
        out.println("  a segment:    ./vigil inspect segment " + DemoFaults.anySegment(workload.replica("node-a")));
        if (fleet != null) {
            out.println("  a worker:     ./vigil worker --config "
                    + directory.resolve("config").resolve("worker-1.yaml")
                    + " (with a PostgreSQL at that jdbc-url: the demo's stops when the demo ends)");
        }
        if (repositoryOutlivesDemo) {
            out.println("  keys:         ./vigil keys check --config "
                    + nodes.configs().getFirst()
                    + " (every object opens under the demo keyring; without it, verify archive still re-hashes them)");
        }
        out.println("  clean up:     rm -rf " + directory);
        return all ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    /** Step 3: flips a bit in an archived segment, waits for the verification to find it, repairs, waits for proof. */
    private boolean damageArchive(ObjectStore repository, PartitionId partition, DemoWatch watch, DemoWorkload workload)
            throws IOException {
        List<ArchivedSegment> segments =
                new Repository(repository).archive(partition).segments();
        ArchivedSegment victim = segments.get(segments.size() / 2);
        byte[] bytes;
        try (ObjectStream in = repository.get(victim.key())) {
            bytes = in.readAllBytes();
        }
        int offset = bytes.length / 2;
        bytes[offset] ^= 0x10;
        // Rewritten with a checksum of the damaged bytes, as an attacker or a buggy tool would: the store's own
        // checksum passes, so only Vigil can tell: its record-by-record validation, or a node comparing its copy.
        repository.put(PutRequest.overwrite(
                victim.key(),
                ObjectBody.ofBytes(bytes),
                Checksum.of(ChecksumAlgorithm.CRC32C, bytes),
                Map.of("replica", "tampered")));
        out.printf(
                "3. Damage in the archive: one bit of byte %,d of %s is flipped, and the object rewritten with a"
                        + " matching checksum, behind Vigil's back.%n",
                offset, victim.key());
        out.println("   Waiting for the next archive verification ...");
        boolean found = watch.until(w -> w.hasAlert(AlertType.ARCHIVE_CORRUPT, null), STEP_TIMEOUT, workload);
        if (!found) {
            out.println("   NOT SEEN: the damaged archived segment.");
            return false;
        }
        Instant deleted = clock.instant();
        repository.delete(victim.key());
        out.println(
                "   As the alert advises, the damaged object is deleted; the nodes still hold that segment, and their next"
                        + " archive pass stores it again. Waiting until the verification proves the new copy intact ...");
        boolean repaired =
                watch.until(w -> verifiedSince(repository, partition, victim.key(), deleted), STEP_TIMEOUT, workload);
        out.println(
                repaired
                        ? "   Repaired: " + victim.key() + " is archived again and verified record by record."
                        : "   NOT SEEN: the repaired segment verified.");
        return repaired;
    }

    private static boolean verifiedSince(ObjectStore repository, PartitionId partition, String key, Instant since)
            throws IOException {
        return new Repository(repository)
                .verificationState(partition)
                .entry(key)
                .filter(e -> e.verifiedAt().isAfter(since))
                .isPresent();
    }

    /** Step 5: restores to the noted time, verified by Vigil, and compares the result with the nodes' own history. */
    private boolean restore(VigilServices vigil, PartitionId partition, Instant point, DemoWorkload workload)
            throws IOException {
        Path target = directory.resolve("restored").resolve(PARTITION);
        out.println("5. Point-in-time restore: partition " + PARTITION + " as it was at " + point
                + " (before every fault" + " above), from the repository alone, into " + target);
        RestoreResult result = vigil.restorer()
                .restore(
                        new RestoreRequest(
                                partition, new RestoreTarget.ToTime(point), target, RestoreFormat.ROCKSDB, false),
                        RestoreProgress.SILENT);
        out.printf(
                "   Restored %,d items at LSN %,d (the last LSN written at or before that time) in %.1f s%s.%n",
                result.items(),
                result.lsn(),
                result.elapsed().toMillis() / 1000.0,
                result.snapshotLsn()
                        .map(s -> ", starting from the snapshot at LSN " + s)
                        .orElse(""));
        result.checks().forEach(c -> out.println("     check    " + c));
        Map<String, byte[]> expected = new TreeMap<>(workload.stateAt(result.lsn()));
        boolean equal = result.verified() && sameItems(result.output(), expected);
        out.println(
                equal
                        ? "   Verified: the restored database's digest equals the reference's at that LSN, and every item"
                                + " equals what the nodes' own history says the partition held then (" + expected.size()
                                + " items)."
                        : "   NOT SEEN: a restore equal to the history (verified: " + result.verified() + ").");
        return equal;
    }

    private static boolean sameItems(Path db, Map<String, byte[]> expected) throws IOException {
        Map<String, byte[]> actual = new TreeMap<>();
        try (Options options = new Options();
                RocksDB rocks = RocksDB.openReadOnly(options, db.toString());
                RocksIterator it = rocks.newIterator()) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                if (!StorageNodeContract.isAppliedLsnKey(it.key())) {
                    actual.put(new String(it.key(), StandardCharsets.UTF_8), it.value());
                }
            }
        } catch (RocksDBException e) {
            throw new IOException("cannot read the restored database " + db + ": " + e.getMessage(), e);
        }
        return actual.size() == expected.size()
                && actual.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), expected.get(e.getKey())));
    }

    /** Step 6: the compliance report of the last hour. */
    private ComplianceReport report(VigilServices vigil) throws IOException {
        Path reports = directory.resolve("reports");
        out.println(
                "6. Compliance report of the last hour, from what the repository proves (Vigil also writes one on its"
                        + " daily schedule):");
        ReportService.Run run = vigil.reportService()
                .publishNow(Duration.ofHours(1), EnumSet.allOf(ReportFormat.class), Optional.of(reports));
        ComplianceReport report = run.report();
        ComplianceReport.PartitionCompliance p = report.partitions().getFirst();
        out.printf(
                "   %s. Archive: LSNs %,d..%,d, %s; lag from write to archive max %.1f s, p99 %.1f s over %d segments."
                        + " Restore drills run so far: %d passed, %d failed.%n",
                report.compliant() ? "COMPLIANT" : "NOT COMPLIANT",
                p.coverage().firstLsn(),
                p.coverage().lastLsn(),
                p.coverage().gaps().isEmpty() ? "no gaps" : p.coverage().gaps().size() + " gap(s)",
                p.lag().maxSeconds(),
                p.lag().p99Seconds(),
                p.lag().segments(),
                report.totals().drillsPassed(),
                report.totals().drillsFailed());
        for (ComplianceReport.Finding f : p.findings()) {
            out.printf(
                    "     finding  %s (%s), raised %d time(s): %s%n",
                    f.type(), f.subject(), f.occurrences(), f.open() ? "OPEN" : "resolved, " + f.resolution());
        }
        out.println(
                "   Not compliant, as it should be: node-b and node-c hold wrong data until an operator rebuilds them;"
                        + " the archive damage was repaired and counts as resolved.");
        if (p.findings().stream().anyMatch(f -> f.type() == AlertType.RESTORE_DRILL_FAILED)) {
            out.println(
                    "   A restore drill that ran while the archived segment was damaged failed, as it should have: the"
                            + " finding stays open until a later drill of the partition passes.");
        }
        run.published().files().forEach(f -> out.println("   written  " + f));
        out.println("   stored in the repository under "
                + run.published()
                        .keys()
                        .getFirst()
                        .substring(0, run.published().keys().getFirst().lastIndexOf('/') + 1));
        return report;
    }

    /** The fleet's summary: which worker verified the partition how often; false if no worker did. */
    private boolean fleetWorked(DemoFleet fleet) {
        Map<String, Integer> verifications = fleet.verifications();
        out.println();
        out.printf(
                "8. The fleet: %s completed the partition's verification (one replay for all three replicas each"
                        + " time; the node agents judged nothing). The workers' /health and /metrics: %s.%n",
                verifications.entrySet().stream()
                        .map(e -> e.getKey() + " " + e.getValue() + " time(s)")
                        .collect(Collectors.joining(", ")),
                fleet.ports().entrySet().stream()
                        .map(e -> e.getKey() + " http://127.0.0.1:" + e.getValue() + "/health")
                        .collect(Collectors.joining(", ")));
        boolean worked =
                verifications.values().stream().mapToInt(Integer::intValue).sum() > 0;
        if (!worked) {
            out.println("   NOT SEEN: a verification completed by a fleet worker.");
        }
        return worked;
    }

    private static boolean findingsReported(ComplianceReport report, boolean lostWrite, boolean bitRot) {
        List<ComplianceReport.Finding> findings = report.partitions().getFirst().findings();
        boolean divergenceOpen = findings.stream()
                .anyMatch(f -> f.type() == AlertType.REPLICA_DIVERGED
                        && f.open()
                        && f.subject().contains("node-b"));
        boolean rotOpen = findings.stream()
                .anyMatch(f -> f.type() == AlertType.REPLICA_BIT_ROT
                        && f.open()
                        && f.subject().contains("node-c"));
        boolean archiveResolved = findings.stream().anyMatch(f -> f.type() == AlertType.ARCHIVE_CORRUPT && !f.open());
        return !report.compliant() && divergenceOpen == lostWrite && rotOpen == bitRot && archiveResolved;
    }
}
