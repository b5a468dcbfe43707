package dev.vigil.cli;

import dev.vigil.archiver.ArchiveReport;
import dev.vigil.archiver.Archiver;
import dev.vigil.archiver.PartitionReport;
import dev.vigil.core.PartitionId;
import dev.vigil.core.ReplicaId;
import dev.vigil.core.alert.AlertPublisher;
import dev.vigil.core.config.ArchiveConfig;
import dev.vigil.core.config.NodeConfig;
import dev.vigil.core.node.StorageNodeContract;
import dev.vigil.core.repository.ArchivedSegments;
import dev.vigil.core.repository.RepositoryLayout;
import dev.vigil.core.store.LocalObjectFile;
import dev.vigil.core.store.ObjectCorruptException;
import dev.vigil.core.store.ObjectStore;
import dev.vigil.core.store.ObjectStores;
import dev.vigil.core.wal.FsyncPolicy;
import dev.vigil.core.wal.Op;
import dev.vigil.core.wal.SealedSegment;
import dev.vigil.core.wal.SegmentCorruptException;
import dev.vigil.core.wal.SegmentSummary;
import dev.vigil.core.wal.SegmentWriter;
import dev.vigil.core.wal.WalRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The demo's script: a simulated node writes WAL segments with the real writer, they are archived to a
 * local directory repository, verified, one archived copy is damaged on disk, and verification names the
 * damage. Every step says in plain words what is happening.
 */
final class Demo {

    private static final PartitionId PARTITION = PartitionId.of("demo-0001");
    private static final ReplicaId REPLICA = ReplicaId.of("node-a");
    private static final int SEGMENTS = 4;
    private static final int RECORDS_PER_SEGMENT = 1_000;
    private static final int KEYS = 500;
    private static final int VALUE_BYTES = 100;

    private final PrintWriter out;
    private final Path directory;
    private final Clock clock;
    private final SplittableRandom random;

    Demo(PrintWriter out, Path directory, Clock clock, long seed) {
        this.out = out;
        this.directory = directory;
        this.clock = clock;
        this.random = new SplittableRandom(seed);
    }

    int run() throws IOException {
        Path nodeRoot = directory.resolve("node/" + REPLICA);
        Path walDir = Files.createDirectories(StorageNodeContract.walDir(nodeRoot, PARTITION));
        Path repositoryDir = directory.resolve("repository");
        out.println("Vigil demo: archive a storage node's write-ahead log and catch damage to it");
        out.println("Files of this run: " + directory);
        out.println();

        List<SealedSegment> segments = writeWal(walDir);
        try (ObjectStore repository = ObjectStores.localDirectory(repositoryDir, clock)) {
            archive(repository, nodeRoot);
            int clean = verify(repository, "3. Verify the archive: every object is read back in full; the repository"
                    + " re-hashes its bytes and every record's CRC, the LSN order and the seal are re-checked.");
            if (clean != segments.size()) {
                out.println("The archive did not verify before any damage was injected: this is a bug. Exit 1.");
                return ExitCodes.FINDINGS;
            }
            String damagedKey = damage(repositoryDir, segments.get(2));
            int cleanAfter = verify(repository, "5. Verify again, as the daemon's scheduled archive check would.");
            boolean found = cleanAfter == segments.size() - 1;
            out.println();
            if (found) {
                out.println("Result: Vigil found the flipped byte in " + damagedKey + " and named where it is.");
                out.println("The node's own copy is intact (" + segments.get(2).path().getFileName() + " still validates),"
                        + " so the archive can be repaired from it; nothing was silently accepted.");
            } else {
                out.println("Result: the damage to " + damagedKey + " was NOT detected. This is a bug. Exit 1.");
            }
            out.println();
            out.println("Look around:   ls -R " + directory);
            out.println("Inspect a WAL: ./vigil inspect segment " + segments.getFirst().path());
            out.println("Clean up:      rm -rf " + directory);
            return found ? ExitCodes.OK : ExitCodes.FINDINGS;
        }
    }

    private List<SealedSegment> writeWal(Path walDir) throws IOException {
        out.println("1. A storage node writes its WAL. Partition " + PARTITION + " on replica " + REPLICA + " appends "
                + SEGMENTS * RECORDS_PER_SEGMENT + " mutations (puts and deletes of " + KEYS + " keys, "
                + VALUE_BYTES + "-byte values)");
        out.println("   through Vigil's segment writer; each segment is sealed (checksummed, fsynced, renamed) when full.");
        List<SealedSegment> sealed = new ArrayList<>();
        long lsn = 1;
        for (int s = 0; s < SEGMENTS; s++) {
            try (SegmentWriter writer = SegmentWriter.create(walDir, PARTITION, lsn, clock, FsyncPolicy.ON_SYNC)) {
                for (int r = 0; r < RECORDS_PER_SEGMENT; r++) {
                    writer.append(nextMutation(lsn++));
                }
                SealedSegment segment = writer.seal();
                sealed.add(segment);
                SegmentSummary summary = segment.summary();
                out.printf("     %s  %,6d records  %,9d bytes  %s%n", segment.path().getFileName(), summary.recordCount(),
                        summary.byteSize(), summary.checksum());
            }
        }
        out.println();
        return sealed;
    }

    private WalRecord nextMutation(long lsn) {
        byte[] key = String.format("user:%06d", random.nextInt(KEYS)).getBytes(StandardCharsets.US_ASCII);
        if (random.nextInt(10) == 0) {
            return new WalRecord(lsn, clock.millis(), Op.DELETE, key, null);
        }
        byte[] value = new byte[VALUE_BYTES];
        random.nextBytes(value);
        return new WalRecord(lsn, clock.millis(), Op.PUT, key, value);
    }

    private void archive(ObjectStore repository, Path nodeRoot) throws IOException {
        out.println("2. Archive: Vigil's archiver (what the daemon runs every few seconds) validates each sealed segment"
                + " in full,");
        out.println("   stores it once (\"only if absent\") in " + repository.describe() + " with its CRC32C, which the"
                + " repository checks on the way in,");
        out.println("   confirms it there, and tells the node in archived.lsn up to which LSN it may delete its WAL.");
        AlertPublisher printer = alert -> out.println("     ALERT    " + alert.severity() + " " + alert.type() + ": "
                + alert.message());
        try (Archiver archiver = new Archiver(repository, new NodeConfig(REPLICA, List.of(nodeRoot)), ArchiveConfig.defaults(),
                printer, new SimpleMeterRegistry(), clock, new SplittableRandom(1))) {
            ArchiveReport report = archiver.runPass();
            for (PartitionReport partition : report.partitions()) {
                out.printf("     %d segments (%,d bytes) uploaded for partition %s; archived.lsn = %d%n",
                        partition.uploaded(), partition.bytesUploaded(), partition.partition(), partition.archivedLsn());
            }
            report.errors().forEach(e -> out.println("     ERROR    " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while archiving", e);
        }
        out.println();
    }

    private int verify(ObjectStore repository, String title) throws IOException {
        out.println(title);
        int clean = 0;
        for (Iterator<dev.vigil.core.store.ObjectSummary> it = repository.listAll(RepositoryLayout.walPrefix(PARTITION));
             it.hasNext(); ) {
            String key = it.next().key();
            try {
                SegmentSummary summary = ArchivedSegments.verify(repository, key);
                out.printf("     ok       %s  LSN %d..%d%n", key, summary.firstLsn(), summary.lastLsn());
                clean++;
            } catch (SegmentCorruptException e) {
                out.printf("     FINDING  %s%n              corrupt at byte offset %,d: %s%n", key, e.offset(), e.reason());
            } catch (ObjectCorruptException e) {
                out.printf("     FINDING  %s%n              %s%n", key, e.getMessage());
            }
        }
        return clean;
    }

    private String damage(Path repositoryDir, SealedSegment victim) throws IOException {
        SegmentSummary summary = victim.summary();
        String key = RepositoryLayout.walKey(summary.partition(), summary.lsnRange());
        Path file = repositoryDir.resolve(key);
        long payload = LocalObjectFile.readHeader(file, repositoryDir.toUri().toString(), key).payloadOffset();
        long offset = summary.byteSize() / 2;
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            raw.seek(payload + offset);
            int b = raw.read();
            raw.seek(payload + offset);
            raw.write(b ^ 0x10);
        }
        out.println();
        out.println("4. Bit rot: one bit of byte " + String.format("%,d", offset) + " of the archived copy of " + key);
        out.println("   is flipped directly on disk, behind Vigil's back (as a failing disk or a careless tool would).");
        out.println();
        return key;
    }
}
