package dev.vigil.cli;

import dev.vigil.archiver.ArchiveReport;
import dev.vigil.archiver.Archiver;
import dev.vigil.archiver.PartitionReport;
import dev.vigil.core.LsnRange;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.config.ScrubConfig;
import dev.vigil.core.config.VerifyConfig;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.LocalObjectFile;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.reference.Judge;
import dev.vigil.reference.Verdict;
import dev.vigil.scrubber.ArchiveVerifier;
import dev.vigil.scrubber.PartitionVerification;
import dev.vigil.scrubber.RetainedCheckpoints;
import dev.vigil.scrubber.RocksDbReplicaSource;
import dev.vigil.scrubber.ScrubOutcome;
import dev.vigil.scrubber.Scrubber;
import dev.vigil.testkit.node.Divergence;
import dev.vigil.testkit.node.ReplicationGroup;
import dev.vigil.testkit.node.SimulatedReplica;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * The demo's script, on embedded defaults: a simulated partition with three replicas (real RocksDB databases
 * writing real WAL) is archived to a local repository; the archive is verified, damaged on disk, found and
 * repaired; the replicas are scrubbed and judged against a reference replayed from the archive, which names a
 * write one replica lost; and bit rot in another replica's files is caught. Every step says what happens.
 */
final class Demo {

    private static final String PARTITION = "demo-0001";
    private static final long LOST_LSN = 2_345;
    private static final int RECORDS = 4_000;

    private final PrintWriter out;
    private final Path directory;
    private final Clock clock;
    private final long seed;
    private final AlertPublisher printer;

    Demo(PrintWriter out, Path directory, Clock clock, long seed) {
        this.out = out;
        this.directory = directory;
        this.clock = clock;
        this.seed = seed;
        this.printer = alert -> out.println("     ALERT    " + alert.severity() + " " + alert.type() + ": " + alert.message());
    }

    int run() throws IOException {
        out.println("Vigil demo: keep a replicated partition honest, from its write-ahead log to its data at rest");
        out.println("Files of this run: " + directory);
        out.println();
        try (ReplicationGroup group = ReplicationGroup.builder(directory.resolve("nodes")).partition(PARTITION)
                .replicas("node-a", "node-b", "node-c").recordsPerSegment(1_000).keySpace(1_000_000).seed(seed)
                .clock(clock).build();
             ObjectStore repository = ObjectStores.localDirectory(directory.resolve("repository"), clock)) {
            write(group);
            archive(group, repository);
            boolean archiveFound = damageAndRepairArchive(group, repository);
            boolean lostWriteFound = scrubAndJudge(group, repository);
            boolean bitRotFound = bitRot(group.replica("node-c"), repository);

            out.println();
            boolean all = archiveFound && lostWriteFound && bitRotFound;
            out.println(all ? "Result: Vigil found all three problems it was shown, and named each one: the damaged"
                    + " archived record by offset and LSN, the lost write by its key, the rotten replica file by name."
                    : "Result: Vigil MISSED a problem it was shown (see above). This is a bug. Exit 1.");
            out.println();
            out.println("Look around:   ls -R " + directory);
            out.println("Inspect a WAL: ./vigil inspect segment " + group.replica("node-a").sealedSegments().getFirst().path());
            out.println("Verdicts:      " + directory.resolve("repository/partitions/" + PARTITION + "/verdicts"));
            out.println("Clean up:      rm -rf " + directory);
            return all ? ExitCodes.OK : ExitCodes.FINDINGS;
        }
    }

    private void write(ReplicationGroup group) throws IOException {
        group.diverge("node-b", LOST_LSN, Divergence.DROP_FROM_STORE);
        group.write(RECORDS);
        group.sealAll();
        out.println("1. Three storage nodes hold replicas of partition " + PARTITION + ". Each logs the same " + RECORDS
                + " mutations to its WAL (Vigil's segment writer; sealed every 1,000 records) and applies them to its"
                + " RocksDB database.");
        out.println("   Unknown to everyone, node-b silently drops the write of LSN " + LOST_LSN
                + " from its database (it is in its WAL): a lost write.");
        for (SealedSegment segment : group.replica("node-a").sealedSegments()) {
            out.printf("     %s  %,6d records  %,9d bytes  %s%n", segment.path().getFileName(), segment.summary().recordCount(),
                    segment.summary().byteSize(), segment.summary().checksum());
        }
        out.println();
    }

    private void archive(ReplicationGroup group, ObjectStore repository) throws IOException {
        out.println("2. Archive: each node's Vigil daemon validates its sealed segments and stores them once (\"only if"
                + " absent\") in " + repository.describe() + "; a node that finds a segment already archived compares");
        out.println("   it with its own copy (equal: fine; different: a WAL divergence alert), and tells its node in"
                + " archived.lsn how far it may delete its WAL.");
        for (SimulatedReplica replica : group.replicas()) {
            ArchiveReport report = archivePass(replica, repository);
            PartitionReport partition = report.partitions().getFirst();
            out.printf("     %s: %d uploaded, %d already archived by a peer and identical; archived.lsn = %d%n",
                    replica.id(), partition.uploaded(), partition.alreadyArchived(), partition.archivedLsn());
        }
        out.println();
    }

    private ArchiveReport archivePass(SimulatedReplica replica, ObjectStore repository) throws IOException {
        try (Archiver archiver = new Archiver(repository, new NodeConfig(replica.id(), List.of(replica.root())),
                ArchiveConfig.defaults(), printer, new SimpleMeterRegistry(), clock, new SplittableRandom(seed))) {
            return archiver.runPass();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while archiving", e);
        }
    }

    private boolean damageAndRepairArchive(ReplicationGroup group, ObjectStore repository) throws IOException {
        ArchiveVerifier verifier = new ArchiveVerifier(repository, Optional.empty(), new VerifyConfig(Duration.ZERO),
                Duration.ofMinutes(15), printer, clock, new SplittableRandom(seed));
        out.println("3. Verify the archive: every object is read back in full; the repository re-hashes it and every"
                + " record's CRC, the LSN order and the seal are checked.");
        printVerification(verifier);
        String key = RepositoryLayout.walKey(group.partition(), new LsnRange(2_001, 3_000));
        Path file = directory.resolve("repository").resolve(key);
        long payload = LocalObjectFile.readHeader(file, "repository", key).payloadOffset();
        long offset = 66_000;
        flipBit(file, payload + offset);
        out.println();
        out.println("4. Bit rot in the archive: one bit of byte " + String.format("%,d", offset) + " of " + key);
        out.println("   is flipped on disk, behind Vigil's back. The scheduled verification runs again:");
        boolean found = printVerification(verifier) > 0;
        repository.delete(key);
        archivePass(group.replica("node-a"), repository);
        out.println("   As the alert says: the damaged object is deleted, and node-a, which still holds the segment,"
                + " archives it again. Verified once more:");
        found &= printVerification(verifier) == 0;
        out.println();
        return found;
    }

    private int printVerification(ArchiveVerifier verifier) {
        PartitionVerification result = verifier.verify(Optional.empty(), OptionalDouble.empty()).partitions().getFirst();
        out.printf("     %d objects re-read, %,d bytes, %d corrupt%n", result.verified() + result.corrupt(),
                result.bytesVerified(), result.corrupt());
        result.findings().forEach(f -> out.println("     FINDING  " + f));
        return result.corrupt();
    }

    private boolean scrubAndJudge(ReplicationGroup group, ObjectStore repository) throws IOException {
        out.println("5. Scrub and judge: each node's Vigil checkpoints its replica, reads every item with RocksDB's"
                + " checksums verified, and publishes a digest at the replica's applied LSN.");
        out.println("   The judge replays the archive into a reference replica up to that LSN and compares: digests,"
                + " then the differing buckets, then the keys.");
        RocksDbReplicaSource source = new RocksDbReplicaSource(directory.resolve("work/scratch"));
        for (SimulatedReplica replica : group.replicas()) {
            for (ScrubOutcome outcome : scrubber(replica, repository, source).scrub(Optional.empty())) {
                outcome.report().ifPresent(r -> out.printf("     scrubbed %s at LSN %d: %,d items, digest %s…%n",
                        r.replica(), r.appliedLsn(), r.items(), r.digest().get("root").toString().substring(0, 16)));
            }
        }
        Judge.Outcome outcome = new Judge(repository, directory.resolve("work"), new RetainedCheckpoints(source),
                Optional.empty(), printer, clock).judge(group.partition());
        String lostKey = new String(group.history().get((int) LOST_LSN - 1).key(), StandardCharsets.UTF_8);
        boolean found = false;
        for (Verdict verdict : outcome.verdicts()) {
            out.printf("     verdict  %s at LSN %d: %s%n", verdict.replica(), verdict.lsn(), verdict.status());
            for (Verdict.Difference difference : verdict.differences()) {
                out.printf("              %s  %s%n", difference.kind(), difference.key());
                found |= verdict.replica().equals("node-b") && difference.key().equals(lostKey);
            }
        }
        out.println("   The key " + lostKey + " is the one LSN " + LOST_LSN + " wrote: node-b lost it; node-a and node-c"
                + " agree with the archive.");
        out.println();
        return found;
    }

    private boolean bitRot(SimulatedReplica replica, ObjectStore repository) throws IOException {
        replica.flush();
        Path sst;
        try (Stream<Path> files = Files.list(replica.replicaDir())) {
            sst = files.filter(p -> p.toString().endsWith(".sst")).max(Comparator.comparingLong(p -> p.toFile().length()))
                    .orElseThrow(() -> new IOException("no SST file in " + replica.replicaDir()));
        }
        long length = Files.size(sst);
        for (long position = length / 4; position < length / 2; position += 4_096) {
            flipBit(sst, position);
        }
        out.println("6. Bit rot in a replica: bits of " + sst.getFileName() + " in node-c's database are flipped, as a"
                + " failing disk would. The next scrub of node-c:");
        boolean found = false;
        for (ScrubOutcome outcome : scrubber(replica, repository, new RocksDbReplicaSource(directory.resolve("work/scratch")))
                .scrub(Optional.empty())) {
            found |= outcome.finding().isPresent();
        }
        return found;
    }

    private Scrubber scrubber(SimulatedReplica replica, ObjectStore repository, RocksDbReplicaSource source) {
        return new Scrubber(repository, new NodeConfig(replica.id(), List.of(replica.root())),
                new ScrubConfig(0, Optional.empty(), Optional.empty(), Duration.ofHours(24),
                        dev.vigil.core.digest.DigestAlgorithm.XXH128, 12),
                source, directory.resolve("work-" + replica.id()), printer, clock);
    }

    private static void flipBit(Path file, long position) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(position);
            int b = raw.read();
            raw.seek(position);
            raw.write(b ^ 0x10);
        }
    }
}
